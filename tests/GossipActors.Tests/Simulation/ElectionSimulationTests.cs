using GossipActors.Election;
using GossipActors.Simulation;
using Xunit;

namespace GossipActors.Tests.Simulation;

/// <summary>
/// The election core under seeded fault schedules (a fixed, fast subset of `gossip-node simulate election`, which runs
/// 1,000): exactly one leader per org within the bound after the network heals, and no side leaderless beyond it.
/// </summary>
public sealed class ElectionSimulationTests
{
    private static readonly ElectionScenario Template = new() { Orgs = 2, PeersPerOrg = 10 };

    [Fact]
    public void Forty_fixed_schedules_on_two_orgs_of_ten_end_with_one_leader_per_org_within_the_bound()
    {
        var report = ElectionBatchReport.Run(Template, firstSeed: 1, runs: 40);

        Assert.True(report.AllWithinBound, report.Format());
        Assert.All(report.Runs, r => Assert.Equal(2, r.FinalLeaders.Count));
    }

    [Fact]
    public void Fabric_timers_without_fast_failover_also_stay_within_the_bound()
    {
        var report = ElectionBatchReport.Run(Template with { Settings = new ElectionCoreSettings { FastFailover = false } }, firstSeed: 500, runs: 20);

        Assert.True(report.AllWithinBound, report.Format());
    }

    [Fact]
    public void The_same_seeds_give_the_same_runs()
    {
        var first = ElectionBatchReport.Run(Template, firstSeed: 77, runs: 5);
        var second = ElectionBatchReport.Run(Template, firstSeed: 77, runs: 5);

        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.NotEqual(first.Fingerprint, ElectionBatchReport.Run(Template, firstSeed: 78, runs: 5).Fingerprint);
    }

    [Fact]
    public void A_bound_shorter_than_an_election_is_reported_as_broken()
    {
        var report = ElectionBatchReport.Run(Template with { Bound = TimeSpan.FromSeconds(1) }, firstSeed: 1, runs: 5);

        Assert.False(report.AllWithinBound);
        Assert.Contains("FAIL", report.Format());
    }
}
