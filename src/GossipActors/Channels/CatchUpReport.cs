namespace GossipActors.Channels;

/// <summary>
/// One line when a channel falls behind and starts fetching the missing blocks (state transfer), one when it has
/// caught up, whatever the number of requests in between. Pure: takes heights and the time; one owner (the channel actor).
/// </summary>
public sealed class CatchUpReport(string channel)
{
    private ulong? _target;
    private ulong _from;
    private DateTimeOffset _since;

    /// <summary>Requests went out for blocks up to <paramref name="target"/> (exclusive): the line if this opens a gap.</summary>
    public string? OnRequested(ulong committed, ulong target, DateTimeOffset now)
    {
        if (_target is { } current)
        {
            _target = Math.Max(current, target);
            return null;
        }
        if (target <= committed)
        {
            return null;
        }
        (_target, _from, _since) = (target, committed, now);
        return $"Channel {channel}: block gap: our height is {committed}, peers have up to {target}; fetching blocks {committed}..{target - 1} from channel peers (state transfer)";
    }

    /// <summary>Blocks were committed: the line if the gap is closed.</summary>
    public string? OnCommitted(ulong committed, DateTimeOffset now)
    {
        if (_target is not { } target || committed < target)
        {
            return null;
        }
        _target = null;
        return $"Channel {channel}: caught up at height {committed} ({committed - _from} blocks in {(now - _since).TotalSeconds:0.0} s)";
    }
}
