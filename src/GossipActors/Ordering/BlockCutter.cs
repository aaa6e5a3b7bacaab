namespace GossipActors.Ordering;

/// <summary>
/// Groups a channel's ordered transactions into batches (Fabric's block cutter): a batch is cut when it reaches
/// BatchSize.MaxMessageCount, before it would exceed BatchSize.PreferredMaxBytes, and when its oldest transaction has
/// waited BatchTimeout. A transaction larger than PreferredMaxBytes is cut alone (after the batch before it).
/// Pure: time comes in as arguments. Single owner.
/// </summary>
public sealed class BlockCutter
{
    private readonly BatchLimits _limits;
    private List<PendingTransaction> _pending = [];
    private long _pendingBytes;
    private DateTimeOffset? _pendingSince;

    public BlockCutter(BatchLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxMessageCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.PreferredMaxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limits.BatchTimeout, TimeSpan.Zero);
        _limits = limits;
    }

    public int PendingCount => _pending.Count;

    public long PendingBytes => _pendingBytes;

    /// <summary>When the pending batch times out; null when nothing is pending.</summary>
    public DateTimeOffset? NextDue => _pendingSince + _limits.BatchTimeout;

    /// <summary>Adds a transaction; returns the batches it completed, in order (none, one or two).</summary>
    public IReadOnlyList<IReadOnlyList<PendingTransaction>> Ordered(PendingTransaction transaction, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var batches = new List<IReadOnlyList<PendingTransaction>>(2);
        if (transaction.Size > _limits.PreferredMaxBytes)
        {
            if (_pending.Count > 0)
            {
                batches.Add(Cut());
            }
            batches.Add([transaction]);
            return batches;
        }
        if (_pendingBytes + transaction.Size > _limits.PreferredMaxBytes)
        {
            batches.Add(Cut());
        }
        _pending.Add(transaction);
        _pendingBytes += transaction.Size;
        _pendingSince ??= now;
        if (_pending.Count >= _limits.MaxMessageCount)
        {
            batches.Add(Cut());
        }
        return batches;
    }

    /// <summary>The pending batch if its oldest transaction has waited BatchTimeout, else null.</summary>
    public IReadOnlyList<PendingTransaction>? Tick(DateTimeOffset now) =>
        NextDue is { } due && now >= due ? Cut() : null;

    private List<PendingTransaction> Cut()
    {
        var batch = _pending;
        _pending = [];
        _pendingBytes = 0;
        _pendingSince = null;
        return batch;
    }
}
