using System.Buffers.Binary;
using System.Security.Cryptography;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Protocol;

/// <summary>
/// The hashes that chain and seal blocks (docs/crypto.md):
/// header hash = SHA-256(header_bytes), the bytes the orderer signed; the next block's previous_hash is this value.
/// data hash = SHA-256 over, for each transaction in order, its length as 8 bytes big-endian then its bytes
/// (length-prefixed so that moving bytes between transactions changes the hash).
/// </summary>
public static class BlockHashes
{
    public const int Length = 32;

    public static ByteString HeaderHash(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return HeaderHash(block.HeaderBytes);
    }

    public static ByteString HeaderHash(ByteString headerBytes) =>
        UnsafeByteOperations.UnsafeWrap(SHA256.HashData(headerBytes.Span));

    public static ByteString DataHash(BlockData? data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[sizeof(ulong)];
        foreach (var transaction in data?.Transactions ?? [])
        {
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)transaction.Length);
            hash.AppendData(length);
            hash.AppendData(transaction.Span);
        }
        return UnsafeByteOperations.UnsafeWrap(hash.GetHashAndReset());
    }
}
