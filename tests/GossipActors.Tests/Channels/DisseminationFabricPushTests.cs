using GossipActors.Channels;
using Xunit;
using static GossipActors.Tests.Channels.DisseminationTestPeers;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Tests.Channels;

public sealed class DisseminationFabricPushTests
{
    private static readonly DisseminationCoreSettings Settings = new()
    {
        Mode = DisseminationMode.Fabric,
        PropagatePeerNum = 3,
        MaxPropagationBurstSize = 3,
        MaxPropagationBurstLatency = TimeSpan.FromMilliseconds(10),
    };

    [Fact]
    public void NewBlock_WaitsForBurstLatency_ThenGoesToPropagatePeerNumPeers()
    {
        var core = Core(Settings);

        var injected = core.Inject(1, Block(1), T0);
        Assert.Equal(T0.AddMilliseconds(10), core.NextDue);
        var early = core.Tick(T0.AddMilliseconds(9));
        var flushed = core.Tick(T0.AddMilliseconds(10));

        Assert.Empty(injected.Sends);
        Assert.Empty(early.Sends);
        Assert.Equal(3, flushed.Of(Kind.DataMsg).Count);
    }

    [Fact]
    public void FullBurst_IsEmittedAtOnce_AllBlocksToTheSamePeers()
    {
        var core = Core(Settings);

        core.Inject(1, Block(1), T0);
        core.OnDataMessage(Peer(4), Data(2, 0, 0), T0);
        var burst = core.OnDataMessage(Peer(5), Data(3, 0, 0), T0);

        var sends = burst.Of(Kind.DataMsg);
        Assert.Equal(3, sends.Select(s => s.Message.DataMsg.SeqNum).Distinct().Count());
        Assert.InRange(sends.Select(s => s.Target).Distinct().Count(), 1, 3);
        Assert.DoesNotContain(sends, s => s.Message.DataMsg.SeqNum == 2 && s.Target == Peer(4));
        Assert.Null(core.NextDue); // nothing left buffered (and no pull round started yet)
    }

    [Fact]
    public void BlockSeenBefore_IsNotForwardedAgain_InfectAndDie()
    {
        var core = Core(Settings);
        core.OnDataMessage(Peer(1), Data(1, 0, 0), T0);
        core.Tick(T0.AddMilliseconds(10));

        var again = core.OnDataMessage(Peer(2), Data(1, 0, 0), T0.AddMilliseconds(20));
        var later = core.Tick(T0.AddMilliseconds(40));

        Assert.Empty(again.Sends);
        Assert.Empty(later.Of(Kind.DataMsg));
        Assert.Equal(1, core.Counters.DuplicateBlocks);
    }

    [Fact]
    public void DigestsAndDataRequests_AreNotPartOfFabricMode()
    {
        var core = Core(Settings);

        var digest = core.OnDataDigest(Peer(1), new() { SeqNum = 1, DigestTtl = 3 }, T0);

        Assert.True(digest.IsEmpty);
    }
}
