namespace GossipActors.Discovery;

/// <summary>
/// The logical clock of a peer's alive messages: the incarnation changes on every restart, the sequence grows within
/// an incarnation. Ordered by incarnation first, then sequence, so a restarted peer's first message beats every
/// message of its previous life.
/// </summary>
public readonly record struct PeerTime(ulong Incarnation, ulong Sequence) : IComparable<PeerTime>
{
    public int CompareTo(PeerTime other)
    {
        var byIncarnation = Incarnation.CompareTo(other.Incarnation);
        return byIncarnation != 0 ? byIncarnation : Sequence.CompareTo(other.Sequence);
    }

    /// <summary>True when this time is strictly after <paramref name="other"/>: the only kind of update accepted.</summary>
    public bool IsNewerThan(PeerTime other) => CompareTo(other) > 0;

    public PeerTime Next() => this with { Sequence = Sequence + 1 };

    /// <summary>
    /// The sequence number to emit after <paramref name="last"/>: the clock's Unix time in microseconds, or last + 1
    /// when the clock has not moved past it. Because it follows the clock, an actor that restarts (and forgets
    /// <paramref name="last"/>, starting again from 0) still never emits a (incarnation, sequence) it emitted before,
    /// as Fabric does by taking the time. Used for alive, state info and leadership messages.
    /// </summary>
    public static ulong NextSequence(ulong last, TimeProvider time) => NextSequence(last, time.GetUtcNow());

    /// <summary><see cref="NextSequence(ulong, TimeProvider)"/> at a given time (for cores, which take the time as input).</summary>
    public static ulong NextSequence(ulong last, DateTimeOffset now)
    {
        var micros = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (TimeSpan.TicksPerMillisecond / 1000);
        return Math.Max(last + 1, (ulong)Math.Max(0, micros));
    }

    public static bool operator <(PeerTime left, PeerTime right) => left.CompareTo(right) < 0;
    public static bool operator >(PeerTime left, PeerTime right) => left.CompareTo(right) > 0;
    public static bool operator <=(PeerTime left, PeerTime right) => left.CompareTo(right) <= 0;
    public static bool operator >=(PeerTime left, PeerTime right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Incarnation}.{Sequence}";
}
