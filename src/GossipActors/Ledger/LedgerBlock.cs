using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Ledger;

/// <summary>
/// A verified block on its way to a ledger: its number, header hash and previous hash (for the chain rule) and its
/// bytes exactly as the orderer produced them (stored and served as received, never re-encoded).
/// </summary>
public sealed record LedgerBlock(ulong Number, ByteString Hash, ByteString PreviousHash, ByteString Bytes)
{
    /// <summary>When the orderer cut the block (Unix ms, from the signed header); 0 when unknown.</summary>
    public ulong CutUnixMs { get; init; }

    /// <summary>From a parsed block and the bytes it was parsed from; null if it has no parsable header.</summary>
    public static LedgerBlock? From(Block block, ByteString bytes)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(bytes);
        return BlockVerifier.TryParseHeader(block, out var header)
            ? new LedgerBlock(header!.Number, BlockHashes.HeaderHash(block), header.PreviousHash, bytes) { CutUnixMs = header.CutUnixMs }
            : null;
    }

    public static LedgerBlock? From(Block block) => From(block, block.ToByteString());

    /// <summary>True if this block is the one at <paramref name="height"/> after the block whose header hash is <paramref name="lastHash"/>.</summary>
    public bool Extends(ulong height, ByteString lastHash) =>
        Number == height && (height == 0 ? PreviousHash.IsEmpty : PreviousHash.Equals(lastHash));
}
