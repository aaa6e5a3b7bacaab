using GossipActors.Crypto;
using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.IntegrationTests.Hostile;

/// <summary>How a <see cref="TamperingLedger"/> spoils the last block of every range it serves.</summary>
public enum Tampering
{
    /// <summary>The real block with its orderer signature altered (a forged signature).</summary>
    ForgedSignature,

    /// <summary>A block of the right number, validly signed by the orderer, whose previous hash is not the chain's.</summary>
    WrongPreviousHash,

    /// <summary>A real, validly signed block of another number in the place of the block asked for.</summary>
    WrongNumber,
}

/// <summary>
/// The ledger of a hostile peer: it claims the whole of <paramref name="chain"/> (its state info reports that height)
/// and serves state-transfer ranges of real blocks whose last block is spoiled as <paramref name="tampering"/> says.
/// It writes nothing. Read by the peer's ledger actor; <see cref="RangesServed"/> may be read from any thread.
/// </summary>
public sealed class TamperingLedger(string channel, IReadOnlyList<Block> chain, Tampering tampering, NodeIdentity orderer) : IBlockLedger
{
    private long _rangesServed;

    public string Channel { get; } = channel;

    public ulong Height => (ulong)chain.Count;

    public ByteString LastHash => chain.Count == 0 ? ByteString.Empty : BlockHashes.HeaderHash(chain[^1]);

    /// <summary>State-transfer requests this peer answered (each with a spoiled range).</summary>
    public long RangesServed => Interlocked.Read(ref _rangesServed);

    public LedgerAppendOutcome Append(Block block) => LedgerAppendOutcome.NotNext;

    public int AppendBatch(IReadOnlyList<LedgerBlock> blocks) => 0;

    public Block? Get(ulong number) => number < Height ? chain[(int)number] : null;

    /// <summary>The ledger actor asks the sizes first, then copies (<see cref="IBlockLedger.CopyRange"/> reads the
    /// range again): only the copy counts as a served request.</summary>
    public IReadOnlyList<int> RangeSizes(ulong from, ulong to, long maxBytes) => [.. Spoil(from, to).Select(b => b.Length)];

    public IReadOnlyList<ByteString> ReadRange(ulong from, ulong to, long maxBytes)
    {
        var range = Spoil(from, to);
        if (range.Count > 0)
        {
            Interlocked.Increment(ref _rangesServed);
        }
        return range;
    }

    private List<ByteString> Spoil(ulong from, ulong to)
    {
        var range = new List<ByteString>();
        for (var number = from; number <= to && number < Height; number++)
        {
            range.Add(chain[(int)number].ToByteString());
        }
        if (range.Count > 0)
        {
            range[^1] = Spoiled(from + (ulong)range.Count - 1).ToByteString();
        }
        return range;
    }

    private Block Spoiled(ulong number)
    {
        switch (tampering)
        {
            case Tampering.ForgedSignature:
                var forged = chain[(int)number].Clone();
                var signature = forged.Metadata.OrdererSignature.ToByteArray();
                signature[0] ^= 0xFF;
                forged.Metadata.OrdererSignature = ByteString.CopyFrom(signature);
                return forged;
            case Tampering.WrongPreviousHash:
                var elsewhere = ByteString.CopyFrom(Enumerable.Repeat((byte)0xAB, BlockHashes.Length).ToArray());
                return BlockFactory.Create(Channel, number, elsewhere, [ByteString.CopyFromUtf8($"out of chain {number}")], orderer);
            default:
                return chain[(int)(number + 1 < Height ? number + 1 : number - 1)];
        }
    }

    public void Dispose()
    {
    }
}
