using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Tests.Support;
using Xunit;
using static GossipActors.Tests.Channels.DisseminationTestPeers;

namespace GossipActors.Tests.Channels;

public sealed class ChannelMembershipTests
{
    private static readonly StateInfoSettings Timers = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(400));

    private readonly ManualTimeProvider _clock = new(T0);

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Peer 0 (us, Org1MSP, external unless told); alive: 1 and 4 of Org1MSP, 2 of Org2MSP (external), 3 of Org3MSP.</summary>
    private ChannelMembership Membership(bool external = true, StateInfoSettings? settings = null)
    {
        var m = new ChannelMembership("ch1", Peer(0), "Org1MSP", external, incarnation: 1, ["Org1MSP", "Org2MSP"],
            settings ?? Timers, _clock, new Random(3));
        m.UpdateAlive([new(Peer(0), "Org1MSP", true), new(Peer(1), "Org1MSP", true), new(Peer(2), "Org2MSP", true),
            new(Peer(3), "Org3MSP", true), new(Peer(4), "Org1MSP", false)]);
        return m;
    }

    private static StateInfoFact Fact(int peer, ulong seq, ulong height, string org = "Org1MSP", bool left = false) =>
        new(Peer(peer), org, 1, seq, height, left);

    private static HashSet<PkiId> Ids(ChannelPeerSet set) => set.Peers.Select(p => p.Id).ToHashSet();

    [Fact]
    public void View_HoldsOnlyPeersThatPublishedStateInfo_NeverANonMemberOrg_NorSelf()
    {
        var m = Membership();
        Assert.Empty(m.Peers.Peers); // alive members that never published are not channel peers

        m.OnStateInfo(Fact(1, 1, 5), null, Now);
        m.OnStateInfo(Fact(2, 1, 7, "Org2MSP"), null, Now);
        Assert.Equal(StateInfoOutcome.NonMemberOrg, m.OnStateInfo(Fact(3, 1, 5, "Org3MSP"), null, Now));
        Assert.Equal(StateInfoOutcome.Stale, m.OnStateInfo(Fact(0, 1, 9), null, Now));

        Assert.Equal([Peer(1), Peer(2)], Ids(m.Peers));
        Assert.Equal([Peer(1)], Ids(m.SameOrg));
        Assert.Equal(7ul, m.Peers.MaxHeight);
    }

    [Fact]
    public void StateInfoOfAPeerNotAlive_JoinsTheViewOnlyWhenMembershipSaysItIsAlive()
    {
        var m = Membership();
        m.OnStateInfo(Fact(5, 1, 3), null, Now);
        Assert.False(m.Peers.Contains(Peer(5)));

        m.UpdateAlive([new(Peer(1), "Org1MSP", true), new(Peer(5), "Org1MSP", true)]);
        Assert.True(m.SameOrg.Contains(Peer(5)));

        m.UpdateAlive([new(Peer(1), "Org1MSP", true)]);
        Assert.False(m.SameOrg.Contains(Peer(5)));
    }

    [Fact]
    public void NewerStateInfo_UpdatesTheHeightInPlace_StaleIsIgnored()
    {
        var m = Membership();
        var view = m.SameOrg;

        Assert.Equal(StateInfoOutcome.Accepted, m.OnStateInfo(Fact(1, 2, 10), null, Now));
        Assert.Equal(StateInfoOutcome.Stale, m.OnStateInfo(Fact(1, 1, 20), null, Now));
        Assert.Equal(StateInfoOutcome.Stale, m.OnStateInfo(Fact(1, 2, 20), null, Now));
        Assert.Equal(10ul, m.Peers.HeightOf(Peer(1)));
        Assert.Equal(StateInfoOutcome.Accepted, m.OnStateInfo(new StateInfoFact(Peer(1), "Org1MSP", 2, 0, 30, false), null, Now));
        Assert.Equal(30ul, m.Peers.HeightOf(Peer(1)));
        Assert.Same(view, m.SameOrg); // one set, updated in place: no rebuild per receipt
    }

    [Fact]
    public void LeftChannel_RemovesThePeer_AndOlderStateInfoCannotBringItBack()
    {
        var m = Membership();
        m.OnStateInfo(Fact(1, 1, 10), null, Now);

        Assert.Equal(StateInfoOutcome.LeftChannel, m.OnStateInfo(Fact(1, 2, 10, left: true), null, Now));
        Assert.False(m.Peers.Contains(Peer(1)));
        Assert.Equal(StateInfoOutcome.Stale, m.OnStateInfo(Fact(1, 1, 10), null, Now));
        Assert.False(m.Peers.Contains(Peer(1)));
        Assert.DoesNotContain(Peer(1), m.AllTargets); // nothing more is sent to a peer that left
    }

    [Fact]
    public void OrgRemovedFromChannel_LeavesTheView()
    {
        var m = Membership();
        m.OnStateInfo(Fact(1, 1, 10), null, Now);
        m.OnStateInfo(Fact(2, 1, 10, "Org2MSP"), null, Now);

        m.UpdateMemberOrgs(["Org1MSP"]);

        Assert.Equal([Peer(1)], Ids(m.Peers));
    }

    [Fact]
    public void TheStateInfoOfAnAlivePeer_DoesNotExpireByAge()
    {
        var m = Membership(settings: Timers with { RetentionInterval = TimeSpan.FromSeconds(20) });
        m.OnStateInfo(Fact(1, 1, 10), null, Now);
        m.Tick(Now);

        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            m.Tick(Now);
        }

        Assert.True(m.Peers.Contains(Peer(1)));
        Assert.Equal(1, m.StateInfoCount);
    }

    [Fact]
    public void ADeadPeerLeavesTheViewAtOnce_AndItsStateInfoExpiresAfterTheRetentionInterval()
    {
        var m = Membership(settings: Timers with { RetentionInterval = TimeSpan.FromSeconds(20) });
        m.OnStateInfo(Fact(1, 1, 10), null, Now);
        m.Tick(Now);

        m.UpdateAlive([new(Peer(0), "Org1MSP", true)]); // membership declared peer 1 dead
        Assert.False(m.Peers.Contains(Peer(1)));
        _clock.Advance(TimeSpan.FromSeconds(19));
        m.Tick(Now);
        Assert.Equal(1, m.StateInfoCount); // kept: a late copy of an older state info stays stale
        Assert.Equal(StateInfoOutcome.Stale, m.OnStateInfo(Fact(1, 1, 10), null, Now));

        _clock.Advance(TimeSpan.FromSeconds(11)); // the next sweep comes within half a retention interval
        Assert.True(m.NextDue <= Now);
        m.Tick(Now);
        Assert.Equal(0, m.StateInfoCount);
    }

    [Fact]
    public void OwnStateInfo_GoesOutOnlyWhenChanged_AtMostEveryPublishInterval_WithAKeepAliveAtHalfTheRetention()
    {
        var m = Membership();

        var first = m.Tick(Now).Publish;
        m.OnOwnHeight(5);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var early = m.Tick(Now).Publish;
        _clock.Advance(TimeSpan.FromSeconds(3));
        var changed = m.Tick(Now).Publish;
        _clock.Advance(TimeSpan.FromSeconds(8));
        var unchanged = m.Tick(Now).Publish;
        _clock.Advance(TimeSpan.FromSeconds(200));
        var keepAlive = m.Tick(Now).Publish;

        Assert.NotNull(first);
        Assert.Null(early);
        Assert.Equal(5ul, changed!.LedgerHeight);
        Assert.Null(unchanged);
        Assert.NotNull(keepAlive);
        Assert.True(changed.Timestamp.SeqNum > first!.Timestamp.SeqNum);
        Assert.True(keepAlive!.Timestamp.SeqNum > changed.Timestamp.SeqNum);
        Assert.Equal(Peer(0), PkiId.FromByteString(first.PkiId));
    }

    [Fact]
    public void ARestartedCore_NeverEmitsASequenceItEmittedBefore()
    {
        var before = Membership().Tick(Now).Publish!;
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        var afterRestart = Membership().Tick(Now).Publish!; // a new core: its last sequence is forgotten

        Assert.Equal(before.Timestamp.IncNum, afterRestart.Timestamp.IncNum);
        Assert.True(afterRestart.Timestamp.SeqNum > before.Timestamp.SeqNum);
    }

    [Fact]
    public void StatePull_GoesEveryRequestInterval_ToOneRandomPeer_AndOnlyItsAnswerIsAccepted()
    {
        var m = Membership();
        foreach (var (peer, org) in new[] { (1, "Org1MSP"), (2, "Org2MSP"), (4, "Org1MSP") })
        {
            m.OnStateInfo(Fact(peer, 1, 1, org), null, Now); // a full view: no warm-up fill, steady-state pulls
        }
        m.Tick(Now); // arms the first pull
        var pulls = new List<StateInfoPull>();
        for (var i = 0; i < 40; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            if (m.Tick(Now).Pull is { } pull)
            {
                pulls.Add(pull);
            }
        }

        Assert.InRange(pulls.Count, 9, 11); // 40 s / 4 s
        Assert.All(pulls, p => Assert.Contains(p.Target, new[] { Peer(1), Peer(2), Peer(4) }));
        var last = pulls[^1];
        Assert.False(m.AcceptsSnapshot(last.Target, last.Nonce + 1));
        Assert.False(m.AcceptsSnapshot(Peer(3), last.Nonce));
        Assert.True(m.AcceptsSnapshot(last.Target, last.Nonce));
        Assert.False(m.AcceptsSnapshot(last.Target, last.Nonce)); // one answer per pull
    }

    [Fact]
    public void WithoutAnExternalEndpoint_StateInfoStaysInOurOrg()
    {
        var m = Membership(external: false);
        for (var i = 0; i < 20; i++)
        {
            Assert.DoesNotContain(Peer(2), m.PushTargets(Peer(0), default));
        }
        Assert.Equal([Peer(1), Peer(4)], m.AllTargets.ToHashSet());

        var external = Membership(external: true);
        Assert.Contains(Peer(2), external.AllTargets);
    }

    [Fact]
    public void RelayedStateInfo_GoesOnlyToOurOrg_NeverBackToItsPublisher()
    {
        var m = Membership();
        for (var i = 0; i < 20; i++)
        {
            var targets = m.PushTargets(Peer(1), Peer(1));
            Assert.Equal([Peer(4)], targets);
        }
    }

    [Fact]
    public void PullAnswerForAnotherOrg_DisclosesOnlyItsOwnPeersAndOurExternalOnes()
    {
        var m = Membership();
        var envelopes = new Dictionary<int, GossipActors.Protocol.Wire.SignedEnvelope>();
        foreach (var (peer, org) in new[] { (1, "Org1MSP"), (2, "Org2MSP"), (4, "Org1MSP") })
        {
            envelopes[peer] = new() { Payload = Google.Protobuf.ByteString.CopyFromUtf8($"state info of {peer}") };
            m.OnStateInfo(Fact(peer, 1, 1, org), envelopes[peer], Now);
        }

        var everything = new GossipActors.Protocol.Wire.StateInfoPullRequest(); // knows nothing: the whole ring
        Assert.Equal(3, m.Answer(everything, "Org1MSP", null, Now).Elements.Count);
        var toOrg2 = m.Answer(everything, "Org2MSP", null, Now).Elements;
        Assert.Equal([envelopes[1], envelopes[2]], toOrg2.ToHashSet()); // peer 4 has no external endpoint
        Assert.Empty(Membership(external: false).Answer(everything, "Org2MSP", null, Now).Elements);
    }
}
