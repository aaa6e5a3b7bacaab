namespace GossipActors.Channels;

/// <summary>One committed block at one peer: when the orderer cut it (its header) and when this peer committed it.</summary>
/// <param name="CutUnixMs">The orderer's cut time from the signed header (Unix ms); 0 when the block carries none.</param>
/// <param name="CommittedUnixMs">When this peer's ledger confirmed the block durable (Unix ms, this peer's clock).</param>
public sealed record CommittedBlockTime(ulong Number, ulong CutUnixMs, ulong CommittedUnixMs)
{
    /// <summary>Commit time minus cut time, or null when the block has no cut time. Clocks of orderer and peer are
    /// compared as they are: meaningful on one machine (or synchronised clocks).</summary>
    public long? LatencyMs => CutUnixMs == 0 ? null : (long)CommittedUnixMs - (long)CutUnixMs;
}

/// <summary>
/// The last <see cref="Capacity"/> blocks a channel committed, with cut and commit times (single owner: the channel
/// actor). Bounded: the oldest entry is overwritten. Served at the operations endpoint's /blocks and, for the last
/// block, as lastBlockLatencyMs in /status.
/// </summary>
public sealed class BlockLatencyRing
{
    public const int DefaultCapacity = 1024;

    private readonly CommittedBlockTime[] _entries;
    private int _next;
    private int _count;

    public BlockLatencyRing(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _entries = new CommittedBlockTime[capacity];
    }

    public int Capacity => _entries.Length;

    public int Count => _count;

    /// <summary>The most recently recorded block, or null before the first commit.</summary>
    public CommittedBlockTime? Last => _count == 0 ? null : _entries[(_next - 1 + _entries.Length) % _entries.Length];

    public void Record(ulong number, ulong cutUnixMs, DateTimeOffset committed)
    {
        _entries[_next] = new CommittedBlockTime(number, cutUnixMs, (ulong)Math.Max(0, committed.ToUnixTimeMilliseconds()));
        _next = (_next + 1) % _entries.Length;
        _count = Math.Min(_count + 1, _entries.Length);
    }

    /// <summary>The recorded blocks, oldest first.</summary>
    public IReadOnlyList<CommittedBlockTime> Recent()
    {
        var result = new CommittedBlockTime[_count];
        var start = (_next - _count + _entries.Length) % _entries.Length;
        for (var i = 0; i < _count; i++)
        {
            result[i] = _entries[(start + i) % _entries.Length];
        }
        return result;
    }
}
