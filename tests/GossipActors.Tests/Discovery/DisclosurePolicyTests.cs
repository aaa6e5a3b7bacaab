using GossipActors.Discovery;
using Xunit;
using static GossipActors.Tests.Discovery.MembershipTestPeers;

namespace GossipActors.Tests.Discovery;

/// <summary>
/// Fabric's disclosure policy, as the core applies it to everything that carries alive records: we are peer 0 of
/// Org1MSP; Org2MSP is the org told (R), Org3MSP a third org.
/// </summary>
public sealed class DisclosurePolicyTests
{
    private const string Ours = "Org1MSP";
    private const string R = "Org2MSP";
    private const string Third = "Org3MSP";

    /// <summary>Peers 1 (ours, external), 2 (ours, internal only), 3 and 4 (R), 5 (third org).</summary>
    private static MembershipCore Populated()
    {
        var core = Core();
        core.Tick(T0);
        core.OnAlive(Alive(1), T0);
        core.OnAlive(Alive(2, external: false), T0);
        core.OnAlive(Alive(3, org: R), T0);
        core.OnAlive(Alive(4, org: R), T0);
        core.OnAlive(Alive(5, org: Third), T0);
        core.FlushForwards(T0);
        return core;
    }

    private static IReadOnlyList<AliveRecord> ResponseTo(MembershipCore core, int requester, string org) =>
        Single<SendMembershipResponse>(core.OnMembershipRequest(Id(requester), Alive(requester, seq: 2, org: org), T0.AddSeconds(1)).Actions).Alive;

    [Fact]
    public void A_peer_of_R_is_told_of_Rs_peers_and_ours_but_never_of_a_third_org()
    {
        var told = ResponseTo(Populated(), 3, R).Select(r => r.PkiId).ToHashSet();

        Assert.Equal(new[] { Id(0), Id(1), Id(4) }.ToHashSet(), told);
        Assert.DoesNotContain(Id(5), told);
    }

    [Fact]
    public void One_of_our_peers_is_disclosed_to_R_only_when_it_and_the_peer_of_R_both_have_an_external_endpoint()
    {
        var told = ResponseTo(Populated(), 3, R);
        Assert.DoesNotContain(told, r => r.PkiId == Id(2)); // ours, no external endpoint

        var ours = Alive(1);
        Assert.True(DisclosurePolicy.MayDisclose(ours, Ours, R, targetHasExternalEndpoint: true));
        Assert.False(DisclosurePolicy.MayDisclose(ours, Ours, R, targetHasExternalEndpoint: false));
        Assert.False(DisclosurePolicy.MayDisclose(Alive(2, external: false), Ours, R, targetHasExternalEndpoint: true));
        Assert.True(DisclosurePolicy.MayDisclose(Alive(3, org: R, external: false), Ours, R, targetHasExternalEndpoint: false));
    }

    [Fact]
    public void A_peer_of_our_own_org_is_told_of_our_org_only_in_membership_responses()
    {
        var told = ResponseTo(Populated(), 6, Ours).Select(r => r.PkiId).ToHashSet();

        Assert.Equal(new[] { Id(0), Id(1), Id(2) }.ToHashSet(), told);
    }

    [Fact]
    public void The_secret_part_never_leaves_its_org_in_responses_requests_or_forwards()
    {
        var core = Populated();
        Assert.All(ResponseTo(core, 3, R).Where(r => r.Org != R), r => Assert.Equal("", r.InternalEndpoint));
        Assert.Contains(ResponseTo(core, 6, Ours), r => r.PkiId == Id(1) && r.InternalEndpoint.Length > 0);

        var probe = Single<SendMembershipRequest>(core.OnProbeHint("peer3:7051", T0.AddSeconds(2)));
        Assert.True(probe.To.CrossOrg);
        Assert.Equal("", probe.Self.InternalEndpoint);

        core.OnAlive(Alive(1, seq: 9), T0.AddSeconds(3));
        var forwards = core.FlushForwards(T0.AddSeconds(3)).OfType<SendAlives>().ToList();
        Assert.NotEmpty(forwards);
        foreach (var send in forwards)
        {
            var targetOrg = core.Lookup(send.To.Peer!.Value)!.Record.Org;
            Assert.All(send.Alives, r => Assert.True(r.Org == targetOrg || r.InternalEndpoint.Length == 0,
                $"{r.PkiId} of {r.Org} sent to a peer of {targetOrg} with its internal endpoint"));
        }
    }

    [Fact]
    public void Another_orgs_alive_is_forwarded_to_its_org_and_to_our_peers_with_external_endpoints_only()
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var core = Core(seed: seed);
            core.OnAlive(Alive(1), T0);                       // ours, external
            core.OnAlive(Alive(2, external: false), T0);      // ours, internal only
            core.OnAlive(Alive(3, org: R), T0);
            core.OnAlive(Alive(5, org: Third), T0);
            core.FlushForwards(T0);

            core.OnAlive(Alive(4, org: R), T0.AddSeconds(1));
            var targets = core.FlushForwards(T0.AddSeconds(1)).OfType<SendAlives>()
                .Where(s => s.Alives.Any(r => r.PkiId == Id(4)))
                .Select(s => s.To.Peer!.Value).ToHashSet();

            Assert.Equal(new[] { Id(1), Id(3) }.ToHashSet(), targets);
        }
    }

    [Fact]
    public void Our_org_only_alive_is_forwarded_only_to_our_org_and_a_third_orgs_peer_hears_nothing_of_R()
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var core = Core(seed: seed);
            core.OnAlive(Alive(1), T0);
            core.OnAlive(Alive(3, org: R), T0);
            core.OnAlive(Alive(5, org: Third), T0);
            core.FlushForwards(T0);

            core.OnAlive(Alive(2, external: false), T0.AddSeconds(1));
            core.OnAlive(Alive(4, org: R), T0.AddSeconds(1));
            var sends = core.FlushForwards(T0.AddSeconds(1)).OfType<SendAlives>().ToList();

            Assert.All(sends.Where(s => s.Alives.Any(r => r.PkiId == Id(2))), s => Assert.Equal(Id(1), s.To.Peer));
            Assert.DoesNotContain(sends, s => s.To.Peer == Id(5) && s.Alives.Any(r => r.Org == R));
        }
    }

    [Fact]
    public void A_peer_without_an_external_endpoint_does_not_contact_other_orgs_anchor_peers()
    {
        var hidden = new MembershipCore(Alive(0, seq: 0, external: false), new MembershipSettings(), ["peer7.internal:7051"],
            [new AnchorPeer("peer8:7051", R)], new Random(1));

        var requests = hidden.Tick(T0).OfType<SendMembershipRequest>().ToList();

        Assert.Equal("peer7.internal:7051", Assert.Single(requests).To.Endpoint);
    }
}
