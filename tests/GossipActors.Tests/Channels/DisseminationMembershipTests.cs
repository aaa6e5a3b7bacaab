using GossipActors.Channels;
using GossipActors.Crypto;
using Xunit;
using static GossipActors.Tests.Channels.DisseminationTestPeers;

namespace GossipActors.Tests.Channels;

public sealed class DisseminationMembershipTests
{
    private static ChannelMembership Membership()
    {
        var m = new ChannelMembership("ch1", Peer(0), incarnation: 1, ["Org1MSP", "Org2MSP"], TimeSpan.FromSeconds(4));
        m.UpdateAlive([(Peer(0), "Org1MSP"), (Peer(1), "Org1MSP"), (Peer(2), "Org2MSP"), (Peer(3), "Org3MSP")]);
        return m;
    }

    private static StateInfoFact Fact(int peer, ulong seq, ulong height, string org = "Org1MSP", bool left = false) =>
        new(Peer(peer), org, 1, seq, height, left);

    [Fact]
    public void View_ListsAliveMemberOrgPeers_NeverANonMemberOrg_NorSelf()
    {
        var m = Membership();

        Assert.Equal(StateInfoOutcome.NonMemberOrg, m.OnStateInfo(Fact(3, 1, 5, "Org3MSP")));
        Assert.Equal(new[] { Peer(1), Peer(2) }.Order(), m.View.Peers.Select(p => p.Id).Order());
        Assert.False(m.View.Contains(Peer(3)));
    }

    [Fact]
    public void NewerStateInfo_Replaces_StaleIsIgnored()
    {
        var m = Membership();

        Assert.Equal(StateInfoOutcome.Accepted, m.OnStateInfo(Fact(1, 2, 10)));
        Assert.Equal(StateInfoOutcome.Stale, m.OnStateInfo(Fact(1, 1, 20)));
        Assert.Equal(StateInfoOutcome.Stale, m.OnStateInfo(Fact(1, 2, 20)));
        Assert.Equal(10ul, m.View.HeightOf(Peer(1)));
        Assert.Equal(StateInfoOutcome.Accepted, m.OnStateInfo(new StateInfoFact(Peer(1), "Org1MSP", 2, 0, 30, false)));
        Assert.Equal(30ul, m.View.HeightOf(Peer(1)));
    }

    [Fact]
    public void LeftChannel_RemovesThePeer_AndOlderStateInfoCannotBringItBack()
    {
        var m = Membership();
        m.OnStateInfo(Fact(1, 1, 10));

        Assert.Equal(StateInfoOutcome.LeftChannel, m.OnStateInfo(Fact(1, 2, 10, left: true)));
        Assert.False(m.View.Contains(Peer(1)));
        Assert.Equal(StateInfoOutcome.Stale, m.OnStateInfo(Fact(1, 1, 10)));
        Assert.False(m.View.Contains(Peer(1)));
    }

    [Fact]
    public void OrgRemovedFromChannel_LeavesTheView()
    {
        var m = Membership();

        m.UpdateMemberOrgs(["Org1MSP"]);

        Assert.Equal([Peer(1)], m.View.Peers.Select(p => p.Id));
    }

    [Fact]
    public void OwnStateInfo_IsPublishedOnChange_AndEveryInterval_WithGrowingSequence()
    {
        var m = Membership();

        var first = m.OnOwnHeight(5, T0);
        var same = m.OnOwnHeight(5, T0.AddSeconds(1));
        var early = m.Tick(T0.AddSeconds(3));
        var periodic = m.Tick(T0.AddSeconds(4));
        var left = m.Leave(T0.AddSeconds(5));

        Assert.Equal((1ul, 1ul, 5ul), (first!.Timestamp.IncNum, first.Timestamp.SeqNum, first.LedgerHeight));
        Assert.Equal(Peer(0), PkiId.FromByteString(first.PkiId));
        Assert.Null(same);
        Assert.Null(early);
        Assert.Equal(2ul, periodic!.Timestamp.SeqNum);
        Assert.True(left.LeftChannel);
        Assert.Equal(3ul, left.Timestamp.SeqNum);
    }

    [Fact]
    public void ViewOfNonMember_MakesTheDisseminationCoreIgnoreIt()
    {
        var m = Membership();
        var core = Core();
        core.UpdatePeers(m.View);
        core.OnDataMessage(Peer(1), Data(1, 0, 0), T0);

        var fromOutsider = core.OnDataRequest(Peer(3), new() { SeqNums = { 1 } }, T0);
        var pushed = core.Inject(2, Block(2), T0);

        Assert.True(fromOutsider.IsEmpty);
        Assert.DoesNotContain(pushed.Sends, s => s.Target == Peer(3));
    }
}
