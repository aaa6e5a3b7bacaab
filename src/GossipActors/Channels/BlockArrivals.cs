namespace GossipActors.Channels;

/// <summary>How a block first reached this peer.</summary>
public enum BlockSource
{
    /// <summary>Not noted: committed through state transfer (or before this peer started noting).</summary>
    StateTransfer,

    /// <summary>From the ordering service (this peer's delivery, or an injected block).</summary>
    Orderer,

    /// <summary>A pushed full copy (the push phase: pushTtl hops from the leader).</summary>
    Push,

    /// <summary>Fetched after a digest (the answer to a data request).</summary>
    Fetched,

    /// <summary>A pull response (hello, digest, request, response).</summary>
    Pull,
}

/// <summary>
/// When and how each block not yet committed first reached this peer (single owner: the channel actor), so that a
/// committed block's record says where its time went. Bounded: at most <see cref="Capacity"/> entries, the lowest
/// numbers dropped first; entries at or below the committed height are dropped as blocks commit.
/// </summary>
public sealed class BlockArrivals
{
    public const int Capacity = 4096;

    private readonly SortedDictionary<ulong, (DateTimeOffset At, BlockSource Source)> _arrivals = [];

    public int Count => _arrivals.Count;

    /// <summary>The first arrival of a block wins; later copies change nothing.</summary>
    public void Note(ulong number, DateTimeOffset at, BlockSource source)
    {
        if (_arrivals.ContainsKey(number))
        {
            return;
        }
        _arrivals[number] = (at, source);
        if (_arrivals.Count > Capacity)
        {
            _arrivals.Remove(_arrivals.Keys.First());
        }
    }

    /// <summary>The block's arrival, removed; a block never noted came by state transfer.</summary>
    public (DateTimeOffset? At, BlockSource Source) Take(ulong number) =>
        _arrivals.Remove(number, out var arrival) ? (arrival.At, arrival.Source) : (null, BlockSource.StateTransfer);

    /// <summary>Drops every entry below <paramref name="height"/> (committed, by whatever path).</summary>
    public void Forget(ulong height)
    {
        while (_arrivals.Count > 0 && _arrivals.Keys.First() < height)
        {
            _arrivals.Remove(_arrivals.Keys.First());
        }
    }
}
