using GossipActors.Discovery;
using GossipActors.Simulation;
using Xunit;

namespace GossipActors.Tests.Simulation;

/// <summary>Scenarios of 50 peers running the membership core in virtual time.</summary>
public sealed class MembershipSimulationTests
{
    private static readonly MembershipSettings Settings = new();

    private static MembershipSimulationReport Run(MembershipScenario scenario) => new MembershipSimulation(scenario).Run();

    [Fact]
    public void Fifty_peers_converge_to_a_full_view_with_no_false_dead()
    {
        var report = Run(new MembershipScenario { Peers = 50, Seed = 7, Duration = TimeSpan.FromSeconds(60) });

        Assert.NotNull(report.FullViewAt);
        Assert.True(report.FullViewAt < TimeSpan.FromSeconds(30), $"full view at {report.FullViewAt}");
        Assert.Equal(0, report.FalseDead);
    }

    [Fact]
    public void Crashed_peers_are_declared_dead_by_every_live_peer_within_expiration_plus_one_interval()
    {
        var report = Run(new MembershipScenario
        {
            Peers = 50, Seed = 3, CrashCount = 5, CrashAt = TimeSpan.FromSeconds(30), Duration = TimeSpan.FromSeconds(80),
        });

        Assert.NotNull(report.AllCrashedDeadAt);
        var detection = report.AllCrashedDeadAt!.Value - report.CrashedAt!.Value;
        Assert.True(detection <= Settings.AliveExpirationTimeout + Settings.AliveInterval, $"detected after {detection}");
        Assert.True(detection >= Settings.AliveExpirationTimeout - Settings.AliveInterval, $"detected after {detection}");
        Assert.Equal(0, report.CrashedResurrections);
        Assert.Equal(0, report.FalseDead);
    }

    [Fact]
    public void Partition_is_detected_on_both_sides_and_healing_brings_everyone_back()
    {
        var report = Run(new MembershipScenario
        {
            Peers = 50, Seed = 11, PartitionAt = TimeSpan.FromSeconds(30), HealAt = TimeSpan.FromSeconds(90),
            Duration = TimeSpan.FromSeconds(160),
        });

        Assert.NotNull(report.PartitionDetectedAt);
        var detection = report.PartitionDetectedAt!.Value - report.PartitionedAt!.Value;
        Assert.True(detection <= Settings.AliveExpirationTimeout + Settings.AliveInterval, $"partition detected after {detection}");
        Assert.NotNull(report.HealConvergedAt);
        Assert.True(report.HealConvergedAt - report.HealedAt <= Settings.ReconnectInterval + Settings.AliveInterval * 2,
            $"healed view at {report.HealConvergedAt}");
        Assert.Equal(0, report.FalseDead);
    }

    [Fact]
    public void Two_orgs_converge_without_leaking_internal_endpoints()
    {
        // The simulator carries what the core hands it as is (it strips nothing), so a leak by the core counts here.
        var report = Run(new MembershipScenario { Peers = 50, Orgs = 2, Seed = 5, Duration = TimeSpan.FromSeconds(60) });

        Assert.NotNull(report.FullViewAt);
        Assert.True(report.AliveRecordsSent + report.ResponseRecordsSent > 0);
        Assert.Equal(0, report.InternalEndpointLeaks);
        Assert.Equal(0, report.DisclosureViolations);
        Assert.Equal(0, report.FalseDead);
    }

    [Fact]
    public void Three_orgs_converge_and_no_peer_hears_of_a_third_org_from_a_peer_of_another()
    {
        var report = Run(new MembershipScenario { Peers = 48, Orgs = 3, Seed = 8, Duration = TimeSpan.FromSeconds(60) });

        Assert.NotNull(report.FullViewAt);
        Assert.Equal(0, report.DisclosureViolations);
        Assert.Equal(0, report.InternalEndpointLeaks);
        Assert.Equal(0, report.FalseDead);
    }

    [Fact]
    public void Same_seed_gives_the_same_run_and_another_seed_another_run()
    {
        var scenario = new MembershipScenario
        {
            Peers = 50, Seed = 42, CrashCount = 3, CrashAt = TimeSpan.FromSeconds(20), LossRate = 0.01,
            Duration = TimeSpan.FromSeconds(60),
        };

        var first = Run(scenario);
        var second = Run(scenario);
        var other = Run(scenario with { Seed = 43 });

        Assert.Equal(first.TraceHash, second.TraceHash);
        Assert.Equal(first.Format(), second.Format());
        Assert.NotEqual(first.TraceHash, other.TraceHash);
    }

    [Fact]
    public void Send_failures_declare_crashed_peers_dead_sooner()
    {
        var scenario = new MembershipScenario
        {
            Peers = 50, Seed = 9, CrashCount = 5, CrashAt = TimeSpan.FromSeconds(20), Duration = TimeSpan.FromSeconds(60),
        };

        var withFailures = Run(scenario with { SendFailures = true });
        var withoutFailures = Run(scenario);

        Assert.NotNull(withFailures.AllCrashedDeadAt);
        Assert.NotNull(withoutFailures.AllCrashedDeadAt);
        var sooner = withFailures.HalfCrashedDeadAt!.Value - withFailures.CrashedAt!.Value;
        var byExpiry = withoutFailures.HalfCrashedDeadAt!.Value - withoutFailures.CrashedAt!.Value;
        // Without send failures only expiry declares them dead (about aliveExpirationTimeout); a failed send does it at
        // the first send to the crashed peer, well before, for the typical (median) pair of live and crashed peer. The
        // last pair still waits for expiry: peers stop picking a peer unheard for two alive intervals as a target.
        Assert.True(byExpiry >= Settings.AliveExpirationTimeout - Settings.AliveInterval, $"without send failures: {byExpiry}");
        Assert.True(sooner * 2 < byExpiry, $"median detection with send failures {sooner}, without {byExpiry}");
        Assert.True(withFailures.AllCrashedDeadAt <= withoutFailures.AllCrashedDeadAt);
        Assert.Equal(0, withFailures.FalseDead);
    }
}
