using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Ledger;

/// <summary>A ledger in memory, for tests and the simulator.</summary>
public sealed class InMemoryBlockLedger(string channel) : IBlockLedger
{
    private readonly List<Block> _blocks = [];

    public string Channel { get; } = channel;
    public ulong Height => (ulong)_blocks.Count;
    public ByteString LastHash { get; private set; } = ByteString.Empty;

    public LedgerAppendOutcome Append(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var outcome = ChainRule.Check(Height, LastHash, block, out _);
        if (outcome == LedgerAppendOutcome.Committed)
        {
            _blocks.Add(block);
            LastHash = BlockHashes.HeaderHash(block);
        }
        return outcome;
    }

    public Block? Get(ulong number) => number < Height ? _blocks[(int)number] : null;

    public void Dispose()
    {
    }
}
