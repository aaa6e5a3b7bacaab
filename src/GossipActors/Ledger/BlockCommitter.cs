using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Ledger;

/// <summary>What became of a block offered to the committer.</summary>
public enum CommitOutcome
{
    /// <summary>Committed (and maybe buffered successors with it).</summary>
    Committed,

    /// <summary>Early: held in the payload buffer until the gap before it fills.</summary>
    Buffered,

    /// <summary>Already committed or already buffered.</summary>
    Duplicate,

    /// <summary>Too far ahead of the height for the payload buffer: dropped (state transfer will bring it).</summary>
    BeyondBuffer,

    /// <summary>The next block, but it does not extend the chain (or has no header): dropped.</summary>
    Rejected,
}

/// <summary>
/// Commits verified blocks strictly in order: the payload buffer holds early blocks (at most
/// <paramref name="bufferCapacity"/> ahead of the height) until the gap before them fills; the ledger checks the chain.
/// </summary>
public sealed class BlockCommitter(IBlockLedger ledger, int bufferCapacity)
{
    private readonly SortedDictionary<ulong, Block> _buffer = [];

    public IBlockLedger Ledger => ledger;
    public int Buffered => _buffer.Count;

    /// <summary>Blocks dropped because they did not extend the chain when their turn came.</summary>
    public long ChainRejections { get; private set; }

    /// <summary>Offers a block; the blocks committed by this call are added, in order, to <paramref name="committed"/>.</summary>
    public CommitOutcome Offer(Block block, List<Block> committed)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!BlockVerifier.TryParseHeader(block, out var header))
        {
            ChainRejections++;
            return CommitOutcome.Rejected;
        }
        var number = header!.Number;
        if (number < ledger.Height || _buffer.ContainsKey(number))
        {
            return CommitOutcome.Duplicate;
        }
        if (number > ledger.Height)
        {
            if (number - ledger.Height > (ulong)bufferCapacity)
            {
                return CommitOutcome.BeyondBuffer;
            }
            _buffer[number] = block;
            return CommitOutcome.Buffered;
        }
        if (ledger.Append(block) != LedgerAppendOutcome.Committed)
        {
            ChainRejections++;
            return CommitOutcome.Rejected;
        }
        committed.Add(block);
        while (_buffer.Remove(ledger.Height, out var next))
        {
            if (ledger.Append(next) != LedgerAppendOutcome.Committed)
            {
                ChainRejections++;
                break;
            }
            committed.Add(next);
        }
        return CommitOutcome.Committed;
    }
}
