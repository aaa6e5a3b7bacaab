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
/// only the chain. Single owner (the channel actor); not thread-safe.
/// </summary>
public interface IBlockLedger : IDisposable
{
    string Channel { get; }

    /// <summary>The number of committed blocks: the number of the next block to commit.</summary>
    ulong Height { get; }

    /// <summary>The header hash of block Height-1; empty at height 0.</summary>
    ByteString LastHash { get; }

    LedgerAppendOutcome Append(Block block);

    /// <summary>A committed block, or null if <paramref name="number"/> is at or above the height.</summary>
    Block? Get(ulong number);
}
