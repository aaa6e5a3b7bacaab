using GossipActors.Channels;
using GossipActors.Discovery;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Channels;

/// <summary>Who may take part in a channel: peers of non-member orgs get nothing, and peers that leave drop out.</summary>
public sealed class ChannelSpecAccess : ChannelSpecBase
{
    private static readonly string[] Org1 = Names("p", 4);

    [Fact]
    public void A_peer_of_a_non_member_org_gets_nothing_even_when_it_asks_and_its_requests_are_rejected_and_counted()
    {
        AnchorPeer[] anchors = [new("p1", "Org1"), new("q1", "Org2")];
        StartOrg1(Org1, anchors: anchors);
        // q1 believes Org2 is a member of the channel and takes part: state info, hellos every pull interval.
        Net.Start("Org2", "q1", ["q1"], anchors, joins: [ChannelOf(DisseminationMode.Enhanced, ["Org1", "Org2"])]);
        AwaitChannelViews(Org1, TimeSpan.FromSeconds(10));
        AwaitAssert(() => Assert.Superset(Org1.ToHashSet(), Net.AliveNames("q1")), Dilated(TimeSpan.FromSeconds(10)));

        var genesis = BlockAt(0, ByteString.Empty);
        Assert.True(Inject("p1", genesis).Accepted);
        AwaitHeight(Org1, 1, TimeSpan.FromSeconds(10), Hex(genesis));

        // q1 asks directly too: a data request and a pull request for block 0.
        DeliverAsFrom("q1", "p1", new GossipMessage { Channel = Channel, DataReq = new DataRequest { SeqNums = { 0UL } } });
        DeliverAsFrom("q1", "p2", new GossipMessage { Channel = Channel, Hello = new GossipHello { Nonce = 7, MsgType = PullMsgType.BlockMsg } });

        // Several of q1's pull rounds are refused by Org1 (each round sends hellos to pullPeerNum of them).
        AwaitAssert(() => Assert.True(Org1.Sum(p => Status(p).Counters.RejectedFor(ChannelRejection.NonMemberOrg)) >= 10),
            Dilated(TimeSpan.FromSeconds(10)), TimeSpan.FromMilliseconds(100));
        var q1 = Status("q1");
        Assert.Equal(0UL, q1.Height);
        Assert.Equal(0, q1.Counters.FullCopiesReceived);
        Assert.Equal(0, q1.Counters.DigestsReceived);
        Assert.True(Status("p1").Counters.RejectedFor(ChannelRejection.NonMemberOrg) >= 1);
        Assert.True(Status("p2").Counters.RejectedFor(ChannelRejection.NonMemberOrg) >= 1);
        Assert.All(Org1, p => Assert.DoesNotContain(Status(p).Peers, peer => peer.Id == Net.Identity("q1").PkiId));
    }

    [Fact]
    public void A_peer_that_leaves_disappears_from_the_others_channel_views_and_gets_no_more_blocks()
    {
        StartOrg1(Org1);
        AwaitChannelViews(Org1, TimeSpan.FromSeconds(10));

        Net["p4"].Tell(new LeaveChannel(Channel), TestActor);
        ExpectMsg<ChannelLeft>(Dilated(TimeSpan.FromSeconds(5)));

        var stayers = Org1.Where(p => p != "p4").ToArray();
        AwaitChannelViews(stayers, TimeSpan.FromSeconds(5));
        Assert.True(Status("p4").Left);

        var genesis = BlockAt(0, ByteString.Empty);
        Assert.True(Inject("p1", genesis).Accepted);
        AwaitHeight(stayers, 1, TimeSpan.FromSeconds(10), Hex(genesis));
        // The stayers learn each other's new height from state info; p4 is in nobody's view, pushed to by nobody.
        AwaitAssert(() => Assert.All(Status("p1").Peers, peer => Assert.Equal(1UL, peer.Height)), Dilated(TimeSpan.FromSeconds(5)));
        Assert.Equal(2, Status("p1").Peers.Count);
        Assert.Equal(0UL, Status("p4").Height);
        Assert.False(Inject("p4", genesis).Accepted);
    }
}
