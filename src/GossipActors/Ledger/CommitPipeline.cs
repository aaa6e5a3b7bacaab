using GossipActors.Crypto;
using Google.Protobuf;

namespace GossipActors.Ledger;

/// <summary>What became of a block offered to the commit pipeline.</summary>
public enum CommitOutcome
{
    /// <summary>The next block and it extends the chain: queued for the ledger (with any buffered successors).</summary>
    Committed,

    /// <summary>Early: held in the payload buffer until the gap before it fills.</summary>
    Buffered,

    /// <summary>Already accepted or already buffered.</summary>
    Duplicate,

    /// <summary>Too far ahead of the accepted height for the payload buffer: dropped (state transfer will bring it).</summary>
    BeyondBuffer,

    /// <summary>The next block, but it does not extend the chain: dropped.</summary>
    Rejected,
}

/// <summary>A block dropped when its turn came because it did not extend the chain, and who gave it to us.</summary>
public sealed record ChainBreak(ulong Number, PkiId? Source);

/// <summary>
/// The channel's side of committing, with no I/O: blocks (verified) are accepted strictly in order and chain-checked
/// here; early ones wait in the payload buffer (at most <c>bufferCapacity</c> ahead of the accepted height). Accepted
/// blocks queue for the ledger actor, which writes them in batches (one SQLite transaction each, one batch in flight):
/// while the disk is busy the queue grows, so a slow disk makes batches bigger, not gossip slower.
/// <para><see cref="AcceptedHeight"/>: every block below it is accepted (committed or queued); what gossip and state
/// transfer treat as "have". <see cref="CommittedHeight"/>: confirmed durable by the ledger; what state info reports.</para>
/// </summary>
public sealed class CommitPipeline
{
    private readonly SortedDictionary<ulong, (LedgerBlock Block, PkiId? Source)> _buffer = [];
    private readonly List<LedgerBlock> _queue = [];
    private readonly int _bufferCapacity;
    private readonly int _maxBatch;

    /// <param name="maxBatch">Most blocks handed to the ledger in one write.</param>
    public CommitPipeline(ulong height, ByteString lastHash, int bufferCapacity, int maxBatch = 1000)
    {
        ArgumentNullException.ThrowIfNull(lastHash);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        CommittedHeight = AcceptedHeight = height;
        CommittedHash = AcceptedHash = lastHash;
        _bufferCapacity = bufferCapacity;
        _maxBatch = maxBatch;
    }

    public ulong AcceptedHeight { get; private set; }
    public ByteString AcceptedHash { get; private set; }
    public ulong CommittedHeight { get; private set; }
    public ByteString CommittedHash { get; private set; }
    public int Buffered => _buffer.Count;
    public int Queued => _queue.Count;
    public bool Writing { get; private set; }
    public int BufferCapacity => _bufferCapacity;

    /// <summary>Blocks dropped because they did not extend the chain when their turn came.</summary>
    public long ChainRejections { get; private set; }

    public bool Has(ulong number) => number < AcceptedHeight || _buffer.ContainsKey(number);

    /// <summary>
    /// Offers a verified block. A block that does not extend the chain when its turn comes (now, or later from the
    /// buffer) is dropped and added to <paramref name="breaks"/> with its source, if given.
    /// </summary>
    public CommitOutcome Offer(LedgerBlock block, PkiId? source = null, List<ChainBreak>? breaks = null)
    {
        ArgumentNullException.ThrowIfNull(block);
        var number = block.Number;
        if (number < AcceptedHeight || _buffer.ContainsKey(number))
        {
            return CommitOutcome.Duplicate;
        }
        if (number > AcceptedHeight)
        {
            if (number - AcceptedHeight > (ulong)_bufferCapacity)
            {
                return CommitOutcome.BeyondBuffer;
            }
            _buffer[number] = (block, source);
            return CommitOutcome.Buffered;
        }
        if (!Accept(block))
        {
            ChainRejections++;
            breaks?.Add(new ChainBreak(number, source));
            return CommitOutcome.Rejected;
        }
        while (_buffer.Remove(AcceptedHeight, out var next))
        {
            if (!Accept(next.Block))
            {
                ChainRejections++;
                breaks?.Add(new ChainBreak(next.Block.Number, next.Source));
                break;
            }
        }
        return CommitOutcome.Committed;
    }

    /// <summary>The next batch to write, or null if one is being written or nothing is queued. Marks it in flight.</summary>
    public IReadOnlyList<LedgerBlock>? TakeBatch()
    {
        if (Writing || _queue.Count == 0)
        {
            return null;
        }
        var count = Math.Min(_queue.Count, _maxBatch);
        var batch = _queue.GetRange(0, count);
        _queue.RemoveRange(0, count);
        Writing = true;
        return batch;
    }

    /// <summary>The ledger wrote the batch: it is now at <paramref name="height"/> with last hash <paramref name="lastHash"/>.</summary>
    public void OnWritten(ulong height, ByteString lastHash)
    {
        Writing = false;
        CommittedHeight = height;
        CommittedHash = lastHash;
        if (height < (_queue.Count > 0 ? _queue[0].Number : AcceptedHeight))
        {
            // The ledger wrote less than it was given (it cannot for chain-checked blocks): accept again from its height.
            _queue.Clear();
            AcceptedHeight = height;
            AcceptedHash = lastHash;
        }
    }

    private bool Accept(LedgerBlock block)
    {
        if (!block.Extends(AcceptedHeight, AcceptedHash))
        {
            return false;
        }
        _queue.Add(block);
        AcceptedHeight = block.Number + 1;
        AcceptedHash = block.Hash;
        return true;
    }
}
