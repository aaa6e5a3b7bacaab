using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Tests.Support;

/// <summary>Valid chains for tests.</summary>
public static class TestChain
{
    /// <summary>Blocks 0 to <paramref name="count"/> - 1 of <paramref name="channel"/>, each holding the previous one's
    /// header hash and one transaction "tx n", signed by <paramref name="orderer"/>.</summary>
    public static List<Block> Create(string channel, int count, NodeIdentity orderer)
    {
        var blocks = new List<Block>();
        var previous = ByteString.Empty;
        for (var number = 0UL; number < (ulong)count; number++)
        {
            var block = BlockFactory.Create(channel, number, previous, [ByteString.CopyFromUtf8($"tx {number}")], orderer);
            previous = BlockHashes.HeaderHash(block);
            blocks.Add(block);
        }
        return blocks;
    }
}
