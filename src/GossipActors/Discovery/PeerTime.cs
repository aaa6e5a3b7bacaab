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

    public static bool operator <(PeerTime left, PeerTime right) => left.CompareTo(right) < 0;
    public static bool operator >(PeerTime left, PeerTime right) => left.CompareTo(right) > 0;
    public static bool operator <=(PeerTime left, PeerTime right) => left.CompareTo(right) <= 0;
    public static bool operator >=(PeerTime left, PeerTime right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Incarnation}.{Sequence}";
}
