using GossipActors.Channels;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Channels;

/// <summary>Blocks that fail verification are dropped where they arrive: never stored, forwarded or committed.</summary>
public sealed class ChannelSpecBadBlocks : ChannelSpecBase
{
    private static readonly string[] Peers = Names("p", 5);

    [Fact]
    public void A_block_signed_by_a_peer_is_refused_at_injection_and_counted()
    {
        StartOrg1(Peers);
        AwaitChannelViews(Peers, TimeSpan.FromSeconds(10));
        var forged = BlockAt(0, ByteString.Empty, signer: Pki.Peer("Org1", "rogue"));

        var result = Inject("p1", forged);

        Assert.False(result.Accepted);
        Assert.Contains("NotAnOrderer", result.Detail);
        Assert.Equal(1, Status("p1").Counters.BadBlocksByReason["NotAnOrderer"]);
        // The good genesis block then spreads normally, and nobody ever saw the forged one.
        var genesis = BlockAt(0, ByteString.Empty);
        Assert.True(Inject("p2", genesis).Accepted);
        AwaitHeight(Peers, 1, TimeSpan.FromSeconds(10), Hex(genesis));
        Assert.All(Peers.Where(p => p != "p1"), p => Assert.Equal(0, Status(p).Counters.BadBlocks));
    }

    [Fact]
    public void A_verified_block_marker_from_anyone_but_the_channels_delivery_child_is_refused_and_counted()
    {
        StartOrg1(["p1"]);
        Assert.Equal(0UL, Status("p1").Height); // the channel actor exists before it is addressed by path
        var forged = BlockAt(0, ByteString.Empty, signer: Pki.Peer("Org1", "rogue"));

        Sys.ActorSelection($"/user/p1/{ChannelOptions.ActorNameOf(Channel)}")
            .Tell(new GossipActors.Delivery.VerifiedBlock(Channel, 0, forged, forged.ToByteString()), TestActor);

        var result = ExpectMsg<InjectBlockResult>(Dilated(TimeSpan.FromSeconds(5)));
        Assert.False(result.Accepted);
        var status = Status("p1");
        Assert.Equal(1, status.Counters.Rejected[ChannelRejection.NotFromDelivery]);
        Assert.Equal(0UL, status.Height);
        // The same block through the ordinary injection is verified, and refused for what it is.
        Assert.Contains("NotAnOrderer", Inject("p1", forged).Detail);
    }

    [Fact]
    public void A_tampered_block_pushed_by_a_member_is_counted_where_it_arrives_and_never_stored_or_forwarded()
    {
        StartOrg1(Peers);
        AwaitChannelViews(Peers, TimeSpan.FromSeconds(10));
        var genesis = BlockAt(0, ByteString.Empty);
        var tampered = genesis.Clone();
        tampered.Data.Transactions[0] = ByteString.CopyFromUtf8("money to the rogue");
        var resigned = BlockAt(0, ByteString.Empty, signer: Pki.Peer("Org1", "rogue"));

        // p1 (a channel member) pushes both bad blocks to p2 with full TTLs, as a compromised peer could.
        foreach (var bad in new[] { tampered, resigned })
        {
            DeliverAsFrom("p1", "p2", new GossipMessage
            {
                Channel = Channel,
                DataMsg = new DataMessage { SeqNum = 0, Block = bad.ToByteString(), PushTtl = 1, DigestTtl = 5 },
            });
        }
        // And a good block whose data message lies about its number.
        DeliverAsFrom("p1", "p3", new GossipMessage
        {
            Channel = Channel,
            DataMsg = new DataMessage { SeqNum = 5, Block = genesis.ToByteString(), PushTtl = 1, DigestTtl = 5 },
        });

        AwaitAssert(() => Assert.Equal(2, Status("p2").Counters.BadBlocks), Dilated(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, Status("p2").Counters.BadBlocksByReason["BadDataHash"]);
        Assert.Equal(1, Status("p2").Counters.BadBlocksByReason["NotAnOrderer"]);
        AwaitAssert(() => Assert.Equal(1, Status("p3").Counters.BadBlocksByReason["SeqNumMismatch"]), Dilated(TimeSpan.FromSeconds(5)));

        // The genuine block 0 then reaches everyone: had a bad copy been stored anywhere, that peer would hold it instead.
        Assert.True(Inject("p4", genesis).Accepted);
        AwaitHeight(Peers, 1, TimeSpan.FromSeconds(10), Hex(genesis));
        Assert.All(Peers.Where(p => p is not "p2" and not "p3"), p => Assert.Equal(0, Status(p).Counters.BadBlocks));
    }
}
