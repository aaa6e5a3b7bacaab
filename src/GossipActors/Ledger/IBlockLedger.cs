using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Ledger;

/// <summary>What became of a block offered to a ledger.</summary>
public enum LedgerAppendOutcome
{
    Committed,

    /// <summary>Its number is not the ledger's height (the next block to commit).</summary>
    NotNext,

    /// <summary>Its previous hash is not the header hash of our last block (or block 0 names a predecessor).</summary>
    DoesNotExtendChain,

    /// <summary>It has no parsable header.</summary>
    Malformed,
}

/// <summary>
/// The committed chain of one channel: blocks 0 .. Height-1, each extending the one before (number and header hash).
/// Appends are in order and atomic. Blocks are verified (orderer signature) before they get here; the ledger checks
/// only the chain. Single owner (the channel's ledger actor); not thread-safe.
/// </summary>
public interface IBlockLedger : IDisposable
{
    string Channel { get; }

    /// <summary>The number of committed blocks: the number of the next block to commit.</summary>
    ulong Height { get; }

    /// <summary>The header hash of block Height-1; empty at height 0.</summary>
    ByteString LastHash { get; }

    LedgerAppendOutcome Append(Block block);

    /// <summary>
    /// Appends the leading run of <paramref name="blocks"/> that extends the chain, in one atomic step (one SQLite
    /// transaction): either all of that run is committed or none of it. Returns how many were committed; the first
    /// block past them (if any) did not extend the chain.
    /// </summary>
    int AppendBatch(IReadOnlyList<LedgerBlock> blocks);

    /// <summary>A committed block, or null if <paramref name="number"/> is at or above the height.</summary>
    Block? Get(ulong number);

    /// <summary>
    /// The stored bytes of committed blocks <paramref name="from"/>, from+1, ... up to <paramref name="to"/>
    /// (inclusive) or the height, stopping before the total would pass <paramref name="maxBytes"/> (at least one block
    /// is returned if <paramref name="from"/> is committed).
    /// </summary>
    IReadOnlyList<ByteString> ReadRange(ulong from, ulong to, long maxBytes);

    /// <summary>The sizes in bytes of the blocks <see cref="ReadRange"/> would return (same limits), without reading them.</summary>
    IReadOnlyList<int> RangeSizes(ulong from, ulong to, long maxBytes) => [.. ReadRange(from, to, maxBytes).Select(b => b.Length)];

    /// <summary>
    /// Copies the stored bytes of committed blocks <paramref name="from"/>, from+1, ... into
    /// <paramref name="destinations"/>, one per block, each exactly that block's size (as <see cref="RangeSizes"/> gave
    /// them): a store that can copies straight from its storage into the caller's buffer, without an array per block.
    /// </summary>
    void CopyRange(ulong from, IReadOnlyList<Memory<byte>> destinations)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        if (destinations.Count == 0)
        {
            return;
        }
        var blocks = ReadRange(from, from + (ulong)destinations.Count - 1, long.MaxValue);
        if (blocks.Count != destinations.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(destinations), $"blocks {from}..{from + (ulong)destinations.Count - 1} are not all committed (height {Height})");
        }
        for (var i = 0; i < blocks.Count; i++)
        {
            blocks[i].Span.CopyTo(destinations[i].Span);
        }
    }
}
