using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Ledger;

/// <summary>A ledger in memory, for tests and the simulator.</summary>
public sealed class InMemoryBlockLedger(string channel) : IBlockLedger
{
    private readonly List<ByteString> _blocks = [];

    public string Channel { get; } = channel;
    public ulong Height => (ulong)_blocks.Count;
    public ByteString LastHash { get; private set; } = ByteString.Empty;

    public LedgerAppendOutcome Append(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var outcome = ChainRule.Check(Height, LastHash, block, out _);
        if (outcome == LedgerAppendOutcome.Committed)
        {
            _blocks.Add(block.ToByteString());
            LastHash = BlockHashes.HeaderHash(block);
        }
        return outcome;
    }

    public int AppendBatch(IReadOnlyList<LedgerBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var count = 0;
        foreach (var block in blocks)
        {
            if (!block.Extends(Height, LastHash))
            {
                break;
            }
            _blocks.Add(block.Bytes);
            LastHash = block.Hash;
            count++;
        }
        return count;
    }

    public Block? Get(ulong number) => number < Height ? Block.Parser.ParseFrom(_blocks[(int)number]) : null;

    public IReadOnlyList<ByteString> ReadRange(ulong from, ulong to, long maxBytes)
    {
        var range = new List<ByteString>();
        long total = 0;
        for (var n = from; n <= to && n < Height; n++)
        {
            var bytes = _blocks[(int)n];
            if (range.Count > 0 && total + bytes.Length > maxBytes)
            {
                break;
            }
            range.Add(bytes);
            total += bytes.Length;
        }
        return range;
    }

    public void Dispose()
    {
    }
}
