using GossipActors.Protocol;
using Akka.TestKit.Xunit2;
using GossipActors.Channels;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;
using static GossipActors.Tests.Channels.DisseminationTestPeers;

namespace GossipActors.Tests.Channels;

/// <summary>The channel's API records round-trip through the serializers the peer's actor system binds.</summary>
public sealed class ChannelMessageSerializationTests() : TestKit(GossipActors.Configuration.ReferenceConfig.Load())
{
    private T RoundTrip<T>(T message) where T : notnull
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        return (T)Sys.Serialization.Deserialize(bytes, serializer.Identifier, typeof(T));
    }

    [Fact]
    public void Channel_status_inject_block_and_block_committed_round_trip()
    {
        using var pki = new TestPki();
        var orderer = pki.Orderer();
        var block = BlockFactory.Create("ch", 0, ByteString.Empty, [ByteString.CopyFromUtf8("tx")], orderer);
        var status = new ChannelStatus("ch", false, 3, "ab", [new ChannelPeer(Peer(1), "Org1", 3)],
            new ChannelCountersSnapshot(new Dictionary<ChannelRejection, long> { [ChannelRejection.NotOwnOrg] = 2 },
                new Dictionary<string, long> { ["BadSignature"] = 1 }, 5, 6, 7, 8, 9) { HellosAnswered = 4 });

        var inject = RoundTrip(new InjectBlock("ch", block));
        var back = RoundTrip(status);
        var committed = RoundTrip(new BlockCommitted("ch", 3, Peer(2)));

        Assert.Equal(block, inject.Block);
        Assert.Equal(Peer(1), back.Peers.Single().Id);
        Assert.Equal(2, back.Counters.RejectedFor(ChannelRejection.NotOwnOrg));
        Assert.Equal(4, back.Counters.HellosAnswered);
        Assert.Equal(Peer(2), committed.Peer);
    }
}
