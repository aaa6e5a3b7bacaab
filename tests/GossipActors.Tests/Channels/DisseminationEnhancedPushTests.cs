using GossipActors.Channels;
using GossipActors.Protocol.Wire;
using Xunit;
using static GossipActors.Tests.Channels.DisseminationTestPeers;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Tests.Channels;

public sealed class DisseminationEnhancedPushTests
{
    private static readonly DisseminationCoreSettings Settings = new() { PushPeerNum = 3, DigestPeerNum = 4, PushTtl = 2, DigestTtl = 3 };

    [Fact]
    public void Inject_SendsFullBlockToPushPeerNum_WithConfiguredTtls()
    {
        var core = Core(Settings, peers: 50); // 49 others: more than the 3 + 9 + 27 copies of the push phase

        var output = core.Inject(5, Block(5), T0);

        var sends = output.Of(Kind.DataMsg);
        Assert.Equal(3, sends.Count);
        Assert.Equal(3, sends.Select(s => s.Target).Distinct().Count());
        Assert.DoesNotContain(sends, s => s.Target == Peer(0));
        Assert.All(sends, s => Assert.Equal((2u, 3u), (s.Message.DataMsg.PushTtl, s.Message.DataMsg.DigestTtl)));
        Assert.Single(output.NewBlocks);
    }

    [Theory]
    [InlineData(5, 1)]   // an org of 5: the leader and 4 others, fewer than the 3 + 9 copies of the push phase
    [InlineData(13, 1)]  // 12 others: exactly the push phase's 3 + 9 copies
    [InlineData(40, 2)]  // 39 others: 3 + 9 + 27
    public void Inject_InAnOrgNoLargerThanThePushPhase_SendsTheFullBlockToEveryPeerInOneHop_ThenOnlyDigests(int peers, int pushTtl)
    {
        var core = Core(Settings with { PushTtl = pushTtl }, peers: peers);

        var output = core.Inject(5, Block(5), T0);

        var sends = output.Of(Kind.DataMsg);
        Assert.Equal(Enumerable.Range(1, peers - 1).Select(Peer).ToHashSet(), sends.Select(s => s.Target).ToHashSet());
        Assert.Equal(peers - 1, sends.Count);
        Assert.All(sends, s => Assert.Equal((0u, 3u), (s.Message.DataMsg.PushTtl, s.Message.DataMsg.DigestTtl)));
        // A receiver does not push the full block on: it sends digests only (each peer forwards once per phase).
        var receiver = Core(Settings with { PushTtl = pushTtl }, peers: peers, self: 1);
        var received = receiver.OnDataMessage(Peer(0), sends[0].Message.DataMsg, T0);
        Assert.Empty(received.Of(Kind.DataMsg));
        Assert.NotEmpty(received.Of(Kind.DataDigest));
    }

    [Fact]
    public void Inject_InAnOrgLargerThanThePushPhase_SendsToPushPeerNumOnly()
    {
        var core = Core(Settings with { PushTtl = 1 }, peers: 14); // 13 others > 3 + 9

        var sends = core.Inject(5, Block(5), T0).Of(Kind.DataMsg);

        Assert.Equal(3, sends.Count);
        Assert.All(sends, s => Assert.Equal((1u, 3u), (s.Message.DataMsg.PushTtl, s.Message.DataMsg.DigestTtl)));
    }

    [Fact]
    public void DataWithPushTtlAboveZero_IsForwardedInFull_WithDecrementedTtl_NotBackToSender()
    {
        var core = Core(Settings);

        var output = core.OnDataMessage(Peer(1), Data(5, 2, 3), T0);

        var sends = output.Of(Kind.DataMsg);
        Assert.Equal(3, sends.Count);
        Assert.All(sends, s => Assert.Equal((1u, 3u), (s.Message.DataMsg.PushTtl, s.Message.DataMsg.DigestTtl)));
        Assert.DoesNotContain(sends, s => s.Target == Peer(1));
        Assert.Empty(output.Of(Kind.DataDigest));
    }

    [Fact]
    public void DataWithPushTtlZero_IsForwardedAsDigestsOnly_WhileDigestTtlAboveZero()
    {
        var core = Core(Settings);

        var output = core.OnDataMessage(Peer(1), Data(5, 0, 3), T0);
        var last = core.OnDataMessage(Peer(2), Data(6, 0, 0), T0);

        Assert.Empty(output.Of(Kind.DataMsg));
        var digests = output.Of(Kind.DataDigest);
        Assert.Equal(4, digests.Count);
        Assert.All(digests, d => Assert.Equal((5ul, 2u), (d.Message.DataDigest.SeqNum, d.Message.DataDigest.DigestTtl)));
        Assert.Empty(last.Sends);
    }

    [Fact]
    public void SameBlockAgain_IsNotForwardedAgain_WhateverItsTtl()
    {
        var core = Core(Settings);
        core.OnDataMessage(Peer(1), Data(5, 2, 3), T0);

        var again = core.OnDataMessage(Peer(2), Data(5, 2, 3), T0);
        var newTtl = core.OnDataMessage(Peer(3), Data(5, 1, 3), T0);

        Assert.Empty(again.Sends);
        Assert.Empty(again.NewBlocks);
        Assert.Empty(newTtl.Sends);
        Assert.Equal(2, core.Counters.DuplicateBlocks);
    }

    [Fact]
    public void DigestOfMissingBlock_IsRequestedFromItsSender_OnceAndForwardedAtOnce()
    {
        var core = Core(Settings);

        var first = core.OnDataDigest(Peer(1), new DataDigest { SeqNum = 5, DigestTtl = 2 }, T0);
        var second = core.OnDataDigest(Peer(2), new DataDigest { SeqNum = 5, DigestTtl = 1 }, T0);

        var request = Assert.Single(first.Of(Kind.DataReq));
        Assert.Equal(Peer(1), request.Target);
        Assert.Equal([5ul], request.Message.DataReq.SeqNums);
        Assert.Equal(4, first.Of(Kind.DataDigest).Count);
        Assert.Empty(second.Of(Kind.DataReq));
        Assert.All(second.Of(Kind.DataDigest), d => Assert.Equal(0u, d.Message.DataDigest.DigestTtl));
    }

    [Fact]
    public void DigestOfHeldBlock_IsNotRequested()
    {
        var core = Core(Settings);
        core.OnDataMessage(Peer(1), Data(5, 0, 0), T0);

        var output = core.OnDataDigest(Peer(2), new DataDigest { SeqNum = 5, DigestTtl = 0 }, T0);

        Assert.Empty(output.Sends);
    }

    [Fact]
    public void Request_IsAnsweredWithTheBlock_WithoutTtls()
    {
        var core = Core(Settings);
        core.OnDataMessage(Peer(1), Data(5, 0, 0), T0);

        var output = core.OnDataRequest(Peer(2), new DataRequest { SeqNums = { 5 } }, T0);

        var answer = Assert.Single(output.Sends);
        Assert.Equal(Peer(2), answer.Target);
        Assert.Equal((5ul, 0u, 0u), (answer.Message.DataMsg.SeqNum, answer.Message.DataMsg.PushTtl, answer.Message.DataMsg.DigestTtl));
        Assert.Equal(Block(5), answer.Message.DataMsg.Block);
    }

    [Fact]
    public void RequestBeforeTheBlockArrives_IsAnsweredOnArrival()
    {
        var core = Core(Settings);
        core.OnDataDigest(Peer(1), new DataDigest { SeqNum = 5, DigestTtl = 1 }, T0);

        var early = core.OnDataRequest(Peer(3), new DataRequest { SeqNums = { 5 } }, T0.AddMilliseconds(10));
        var arrival = core.OnDataMessage(Peer(1), Data(5, 0, 0), T0.AddMilliseconds(20));

        Assert.Empty(early.Sends);
        var answer = Assert.Single(arrival.Of(Kind.DataMsg));
        Assert.Equal(Peer(3), answer.Target);
    }

    [Fact]
    public void UnansweredRequest_IsRetriedWithAnotherDigestSender_AfterRequestWaitTime()
    {
        var core = Core(Settings);
        core.OnDataDigest(Peer(1), new DataDigest { SeqNum = 5 }, T0);
        core.OnDataDigest(Peer(2), new DataDigest { SeqNum = 5 }, T0);

        var tooEarly = core.Tick(T0 + Settings.RequestWaitTime - TimeSpan.FromMilliseconds(1));
        var retry = core.Tick(T0 + Settings.RequestWaitTime);
        var giveUp = core.Tick(T0 + 2 * Settings.RequestWaitTime);

        Assert.Empty(tooEarly.Of(Kind.DataReq));
        Assert.Equal(Peer(2), Assert.Single(retry.Of(Kind.DataReq)).Target);
        Assert.Empty(giveUp.Of(Kind.DataReq));
        Assert.Equal(1, core.Counters.RequestRetries);
        Assert.Equal(1, core.Counters.RequestsAbandoned);
    }

    [Fact]
    public void PeerOutsideTheSnapshot_GetsNothing_AndIsCounted()
    {
        var core = Core(Settings, peers: 5);
        core.OnDataMessage(Peer(1), Data(5, 0, 0), T0);

        var request = core.OnDataRequest(Peer(42), new DataRequest { SeqNums = { 5 } }, T0);
        var hello = core.OnHello(Peer(42), new GossipHello { Nonce = 1 }, T0);
        var data = core.OnDataMessage(Peer(42), Data(6, 1, 1), T0);

        Assert.True(request.IsEmpty && hello.IsEmpty && data.IsEmpty);
        Assert.Equal(3, core.Counters.NotChannelPeer);
        Assert.False(core.Has(6));
    }

    [Fact]
    public void ForwardingTargets_AreOnlySnapshotPeers()
    {
        var core = Core(Settings, peers: 3);

        var output = core.Inject(1, Block(1), T0);

        Assert.Equal(2, output.Sends.Count);
        Assert.All(output.Sends, s => Assert.True(s.Target == Peer(1) || s.Target == Peer(2)));
    }
}
