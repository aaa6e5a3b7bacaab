namespace GossipActors.Ordering;

/// <summary>
/// One client's deliver stream of one channel, at the orderer: which block goes next, which the client has
/// acknowledged, and so how many may be sent now. Never more than <see cref="Window"/> blocks are unacknowledged.
/// Pure: the caller gives the chain height and the time.
/// </summary>
public sealed class DeliverStream
{
    public DeliverStream(string channel, ulong start, int window, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        Channel = channel;
        NextToSend = start;
        FirstUnacknowledged = start;
        Window = window;
        LastHeard = now;
    }

    public string Channel { get; }
    public int Window { get; }

    /// <summary>The number of the next block to send.</summary>
    public ulong NextToSend { get; private set; }

    /// <summary>The lowest sent block the client has not acknowledged (equals NextToSend when none is in flight).</summary>
    public ulong FirstUnacknowledged { get; private set; }

    /// <summary>When the client was last heard from (request, acknowledgement or keepalive).</summary>
    public DateTimeOffset LastHeard { get; private set; }

    public int InFlight => (int)(NextToSend - FirstUnacknowledged);

    /// <summary>The client has every block through <paramref name="number"/> (null: a keepalive). Acknowledgements are
    /// cumulative; one beyond what was sent (the client got those blocks another way, or from a replaced stream)
    /// moves the stream past them.</summary>
    public void OnAck(ulong? number, DateTimeOffset now)
    {
        LastHeard = now;
        if (number is not { } taken || taken < FirstUnacknowledged)
        {
            return;
        }
        FirstUnacknowledged = taken + 1;
        NextToSend = Math.Max(NextToSend, FirstUnacknowledged);
    }

    /// <summary>The blocks to send now, given the channel's <paramref name="height"/>; they count as in flight.</summary>
    public (ulong From, int Count) TakeSendable(ulong height)
    {
        var from = NextToSend;
        var room = (ulong)(Window - InFlight);
        var available = height > NextToSend ? height - NextToSend : 0;
        var count = (int)Math.Min(room, available);
        NextToSend += (ulong)count;
        return (from, count);
    }
}
