using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Protocol;

/// <summary>Cuts signed blocks: the orderer signs the exact header bytes and attaches its certificate.</summary>
public static class BlockFactory
{
    /// <param name="previousHash">The previous block's <see cref="BlockHashes.HeaderHash(Block)"/>; empty for block 0.</param>
    /// <param name="cutAt">When the orderer cut the block, written (Unix ms) into the signed header for latency
    /// measurement; null leaves it 0 (unknown).</param>
    public static Block Create(string channel, ulong number, ByteString previousHash, IEnumerable<ByteString> transactions, NodeIdentity orderer,
        DateTimeOffset? cutAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(previousHash);
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(orderer);
        if (number > 0 && previousHash.Length != BlockHashes.Length)
        {
            throw new ArgumentException($"Block {number} needs the {BlockHashes.Length}-byte hash of block {number - 1}, got {previousHash.Length} bytes.", nameof(previousHash));
        }
        var data = new BlockData { Transactions = { transactions } };
        var headerBytes = new BlockHeader
        {
            Number = number,
            PreviousHash = previousHash,
            DataHash = BlockHashes.DataHash(data),
            Channel = channel,
            CutUnixMs = cutAt is { } cut ? (ulong)Math.Max(0, cut.ToUnixTimeMilliseconds()) : 0,
        }.ToByteArray();
        return new Block
        {
            HeaderBytes = UnsafeByteOperations.UnsafeWrap(headerBytes),
            Data = data,
            Metadata = new BlockMetadata
            {
                OrdererSignature = UnsafeByteOperations.UnsafeWrap(orderer.Key.Sign(headerBytes)),
                OrdererCertificate = orderer.Certificate.Bytes,
            },
        };
    }
}
