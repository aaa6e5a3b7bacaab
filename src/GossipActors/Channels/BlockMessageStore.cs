using Google.Protobuf;

namespace GossipActors.Channels;

/// <summary>Why a block was not added to the store.</summary>
public enum StoreOutcome
{
    Added,
    Duplicate,

    /// <summary>The store is full and the block is older than every block it holds.</summary>
    BelowWindow,
}

/// <summary>A block held in memory for forwarding and for answering requests.</summary>
public sealed record StoredBlock(ulong Number, ByteString Block, DateTimeOffset StoredAt);

/// <summary>
/// The recent blocks of one channel, by number: at most maxBlockCountToStore (the lowest is evicted first),
/// each for at most the expiration time. Memory is bounded by count x block size, and reported in
/// <see cref="BytesHeld"/>.
/// </summary>
public sealed class BlockMessageStore
{
    /// <summary>Bookkeeping per held block beyond its bytes (entry, record, ByteString header), measured roughly.</summary>
    public const int OverheadPerBlock = 160;

    private readonly SortedDictionary<ulong, StoredBlock> _blocks = [];
    private readonly int _capacity;
    private readonly TimeSpan _expiration;
    private DateTimeOffset _oldest = DateTimeOffset.MaxValue; // no later than the oldest held block's StoredAt

    public BlockMessageStore(int capacity, TimeSpan expiration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _expiration = expiration;
    }

    public int Count => _blocks.Count;

    /// <summary>Bytes this store keeps alive: block bytes plus a fixed overhead per block.</summary>
    public long BytesHeld { get; private set; }

    public long Evicted { get; private set; }

    public long Expired { get; private set; }

    public bool Contains(ulong number) => _blocks.ContainsKey(number);

    public bool TryGet(ulong number, out StoredBlock block) => _blocks.TryGetValue(number, out block!);

    /// <summary>The highest number held; only when <see cref="Count"/> is above zero.</summary>
    public ulong Highest => _blocks.Keys.Last();

    /// <summary>The numbers held, ascending.</summary>
    public IEnumerable<ulong> Numbers => _blocks.Keys;

    public StoreOutcome Add(ulong number, ByteString block, DateTimeOffset now)
    {
        if (_blocks.ContainsKey(number))
        {
            return StoreOutcome.Duplicate;
        }
        if (_blocks.Count >= _capacity)
        {
            var lowest = _blocks.Keys.First();
            if (number < lowest)
            {
                return StoreOutcome.BelowWindow;
            }
            Remove(lowest);
            Evicted++;
        }
        _blocks[number] = new StoredBlock(number, block, now);
        if (now < _oldest)
        {
            _oldest = now;
        }
        BytesHeld += block.Length + OverheadPerBlock;
        return StoreOutcome.Added;
    }

    /// <summary>Drops blocks stored longer than the expiration time ago; returns how many.</summary>
    public int Expire(DateTimeOffset now)
    {
        if (_blocks.Count == 0 || now - _oldest < _expiration)
        {
            return 0;
        }
        var old = _blocks.Values.Where(b => now - b.StoredAt >= _expiration).Select(b => b.Number).ToList();
        foreach (var number in old)
        {
            Remove(number);
        }
        Expired += old.Count;
        _oldest = _blocks.Count == 0 ? DateTimeOffset.MaxValue : _blocks.Values.Min(b => b.StoredAt);
        return old.Count;
    }

    private void Remove(ulong number)
    {
        if (_blocks.Remove(number, out var block))
        {
            BytesHeld -= block.Block.Length + OverheadPerBlock;
        }
    }
}
