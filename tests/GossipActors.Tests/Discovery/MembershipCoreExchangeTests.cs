using GossipActors.Discovery;
using Xunit;
using static GossipActors.Tests.Discovery.MembershipTestPeers;

namespace GossipActors.Tests.Discovery;

/// <summary>What the core sends: forwarding, bootstrap, reconnection, anti-entropy, requests and responses, orgs.</summary>
public sealed class MembershipCoreExchangeTests
{
    private static readonly MembershipSettings Settings = new();

    [Fact]
    public void New_alive_is_forwarded_once_to_propagate_peer_num_random_peers()
    {
        var core = Core();
        Learn(core, 10, T0);

        core.OnAlive(Alive(20, seq: 7), T0.AddSeconds(1));
        var sends = core.FlushForwards(T0.AddSeconds(1)).OfType<SendAlives>().ToList();

        Assert.Equal(Settings.PropagatePeerNum, sends.Count);
        Assert.Equal(sends.Count, sends.Select(s => s.To.Peer).Distinct().Count());
        Assert.All(sends, s => Assert.Equal(Id(20), Assert.Single(s.Alives).PkiId));
        core.OnAlive(Alive(20, seq: 7), T0.AddSeconds(2));
        Assert.Empty(core.FlushForwards(T0.AddSeconds(2)));
    }

    [Fact]
    public void Forwards_are_flushed_when_the_burst_size_is_reached()
    {
        var core = Core();
        Learn(core, 5, T0);
        AliveResult last = default;
        for (var n = 100; n < 100 + Settings.MaxPropagationBurstSize; n++)
        {
            Assert.False(last.Actions?.OfType<SendAlives>().Any() ?? false);
            last = core.OnAlive(Alive(n), T0.AddSeconds(1));
        }
        Assert.NotEmpty(last.Actions.OfType<SendAlives>());
        Assert.False(core.HasPendingForwards);
    }

    [Fact]
    public void Responses_are_merged_but_never_forwarded()
    {
        var core = Core();
        Learn(core, 3, T0);

        var result = core.OnMembershipResponse(Id(1), [Alive(40), Alive(41)], T0.AddSeconds(1));

        Assert.Equal(2, result.Accepted);
        Assert.False(core.HasPendingForwards);
        Assert.NotNull(core.Lookup(Id(41)));
    }

    [Fact]
    public void Bootstrap_endpoints_are_asked_at_start_and_again_every_reconnect_interval_until_known()
    {
        var core = Core(bootstrap: ["peer7.internal:7051"]);

        var first = Single<SendMembershipRequest>(core.Tick(T0));
        Assert.Equal("peer7.internal:7051", first.To.Endpoint);
        Assert.Null(first.To.Peer);
        Assert.Equal(core.Self, first.Self);
        Assert.Empty(core.Tick(T0 + Settings.ReconnectInterval - Settings.TickTolerance - TimeSpan.FromTicks(1)).OfType<SendMembershipRequest>());
        Assert.Single(core.Tick(T0 + Settings.ReconnectInterval).OfType<SendMembershipRequest>());

        core.OnMembershipResponse(Id(7), [Alive(7)], T0.AddSeconds(26));
        Assert.DoesNotContain(core.Tick(T0 + Settings.ReconnectInterval * 2).OfType<SendMembershipRequest>(), r => r.To.Peer is null);
    }

    [Fact]
    public void Bootstrap_and_anchor_peers_are_never_purged_and_are_recontacted_while_dead()
    {
        var core = Core(bootstrap: ["peer7.internal:7051"], anchors: [new AnchorPeer("peer8:7051", "Org2MSP")],
            settings: Settings with { AntiEntropyInterval = TimeSpan.Zero });
        core.OnAlive(Alive(7), T0);
        core.OnAlive(Alive(8, org: "Org2MSP"), T0);
        core.OnAlive(Alive(9), T0);

        var purged = new List<PeerPurged>();
        var probes = new List<SendMembershipRequest>();
        for (var t = T0; t <= T0 + Settings.PurgeAfter * 2; t += Settings.TickInterval)
        {
            var actions = core.Tick(t);
            purged.AddRange(actions.OfType<PeerPurged>());
            probes.AddRange(actions.OfType<SendMembershipRequest>().Where(r => t > T0 + Settings.PurgeAfter * 1.5));
        }

        Assert.Equal(Id(9), Assert.Single(purged).Peer.PkiId);
        Assert.NotNull(core.Lookup(Id(7)));
        Assert.NotNull(core.Lookup(Id(8)));
        Assert.Contains(probes, p => p.To.Peer == Id(7) && !p.To.CrossOrg);
        Assert.Contains(probes, p => p.To.Peer == Id(8) && p.To.CrossOrg && p.To.Endpoint == "peer8:7051");
    }

    [Fact]
    public void Dead_peers_are_recontacted_every_reconnect_interval()
    {
        var core = Core(settings: Settings with { AntiEntropyInterval = TimeSpan.Zero });
        core.Tick(T0);
        core.OnAlive(Alive(1), T0);
        core.Tick(T0 + Settings.AliveExpirationTimeout);

        var probe = Single<SendMembershipRequest>(core.Tick(T0 + Settings.ReconnectInterval * 2));

        Assert.Equal(Id(1), probe.To.Peer);
        Assert.Equal("peer1.internal:7051", probe.To.Endpoint);
    }

    [Fact]
    public void Anti_entropy_asks_one_random_alive_peer_for_its_view_every_interval()
    {
        var core = Core();
        core.Tick(T0);
        Learn(core, 5, T0);

        var asked = Single<SendMembershipRequest>(core.Tick(T0 + Settings.AntiEntropyInterval));

        Assert.NotNull(asked.To.Peer);
        Assert.Empty(core.Tick(T0 + Settings.AntiEntropyInterval + Settings.TickInterval).OfType<SendMembershipRequest>());
    }

    [Fact]
    public void Request_whose_alive_is_not_the_senders_own_is_not_answered()
    {
        var core = Core();
        Learn(core, 3, T0);

        var result = core.OnMembershipRequest(Id(1), Alive(2, seq: 5), T0.AddSeconds(1));

        Assert.Equal(RequestOutcome.NotSendersOwnAlive, result.Outcome);
        Assert.Empty(result.Actions);
        Assert.Equal(1UL, core.Lookup(Id(2))!.Record.Sequence);
    }

    [Fact]
    public void Request_is_answered_with_the_whole_view_including_ourselves()
    {
        var core = Core();
        core.Tick(T0);
        Learn(core, 4, T0);

        var result = core.OnMembershipRequest(Id(9), Alive(9), T0.AddSeconds(1));

        Assert.Equal(RequestOutcome.Answered, result.Outcome);
        Assert.Equal(AliveOutcome.New, result.RequesterAlive);
        var response = Single<SendMembershipResponse>(result.Actions);
        Assert.Equal(Id(9), response.To.Peer);
        var expected = new[] { Id(0), Id(1), Id(2), Id(3), Id(4) }.Order().ToArray();
        Assert.Equal(expected, response.Alive.Select(r => r.PkiId).Order().ToArray());
        Assert.DoesNotContain(response.Alive, r => r.PkiId == Id(9));
    }

    [Fact]
    public void Peer_of_another_org_without_external_endpoint_is_not_visible()
    {
        var core = Core();

        Assert.Equal(AliveOutcome.NotVisible, core.OnAlive(Alive(5, org: "Org2MSP", external: false), T0).Outcome);
        Assert.Equal(RequestOutcome.RequesterRejected,
            core.OnMembershipRequest(Id(5), Alive(5, org: "Org2MSP", external: false), T0).Outcome);
        Assert.Equal(AliveOutcome.New, core.OnAlive(Alive(6, org: "Org2MSP"), T0).Outcome);
    }

    [Fact]
    public void Other_orgs_see_only_peers_with_external_endpoints_and_never_internal_endpoints()
    {
        var core = Core();
        core.Tick(T0);
        core.OnAlive(Alive(1), T0);
        core.OnAlive(Alive(2, external: false), T0);
        core.OnAlive(Alive(3, org: "Org2MSP"), T0);

        var ownOrg = core.DisclosedTo("Org1MSP", requesterHasExternalEndpoint: true);
        var otherOrg = core.DisclosedTo("Org2MSP", requesterHasExternalEndpoint: true);

        Assert.Equal(2, ownOrg.Count);
        Assert.Contains(ownOrg, r => r.PkiId == Id(2) && r.InternalEndpoint.Length > 0);
        Assert.DoesNotContain(otherOrg, r => r.PkiId == Id(2));
        Assert.All(otherOrg.Where(r => r.Org == "Org1MSP"), r => Assert.Equal("", r.InternalEndpoint));

        var response = Single<SendMembershipResponse>(core.OnMembershipRequest(Id(3), Alive(3, seq: 2, org: "Org2MSP"), T0).Actions);
        Assert.True(response.To.CrossOrg);
        Assert.Equal("peer3:7051", response.To.Endpoint);
        Assert.DoesNotContain(response.Alive, r => r.PkiId == Id(2));
        Assert.All(response.Alive.Where(r => r.Org == "Org1MSP"), r => Assert.Equal("", r.InternalEndpoint));
    }

    [Fact]
    public void Org_only_alives_are_forwarded_only_within_the_org()
    {
        var core = Core();
        for (var n = 1; n <= 6; n++)
        {
            core.OnAlive(Alive(n, org: "Org2MSP"), T0);
        }
        core.OnAlive(Alive(7), T0);
        core.FlushForwards(T0);

        core.OnAlive(Alive(20, external: false), T0.AddSeconds(1));
        var sends = core.FlushForwards(T0.AddSeconds(1)).OfType<SendAlives>().ToList();

        Assert.Equal(Id(7), Assert.Single(sends).To.Peer);
    }

    [Fact]
    public void Probe_hint_sends_a_membership_request_to_the_peer_at_once()
    {
        var core = Core();
        core.OnAlive(Alive(3), T0);

        var probe = Single<SendMembershipRequest>(core.OnProbeHint("peer3.internal:7051", T0.AddSeconds(1)));

        Assert.Equal(Id(3), probe.To.Peer);
        Assert.Equal("unknown:1", Single<SendMembershipRequest>(core.OnProbeHint("unknown:1", T0)).To.Endpoint);
    }

    [Fact]
    public void A_bootstrap_endpoint_never_heard_from_is_given_up_after_max_connection_attempts()
    {
        var settings = new MembershipSettings { MaxConnectionAttempts = 3 };
        var core = Core(settings: settings, bootstrap: ["peer7.internal:7051"]);

        var attempts = 0;
        var gaveUp = new List<GaveUpConnecting>();
        for (var round = 0; round < 6; round++)
        {
            var actions = core.Tick(T0 + settings.ReconnectInterval * round);
            attempts += actions.OfType<SendMembershipRequest>().Count(r => r.To.Endpoint == "peer7.internal:7051");
            gaveUp.AddRange(actions.OfType<GaveUpConnecting>());
        }

        Assert.Equal(3, attempts);
        Assert.Equal(new GaveUpConnecting("peer7.internal:7051", 3), Assert.Single(gaveUp));
        // A probe hint (the org's cluster saw it come up) tries it again.
        Assert.Equal("peer7.internal:7051", Single<SendMembershipRequest>(core.OnProbeHint("peer7.internal:7051", T0)).To.Endpoint);
        Assert.Single(core.Tick(T0 + settings.ReconnectInterval * 7).OfType<SendMembershipRequest>());
    }
}
