using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using GossipActors.Election;
using GossipActors.Simulation;

namespace GossipActors.Node;

/// <summary>
/// <c>gossip-node simulate election</c>: many seeded fault schedules (partitions, crashes, restarts) on orgs of peers
/// running the election core; prints whether each org ends with exactly one leader within the bound, and how long any
/// connected side went without one. Exit code 1 when a schedule breaks a bound.
/// </summary>
internal static class SimulateElectionCommand
{
    public static Command Create()
    {
        var defaults = new ElectionScenario();
        var core = new ElectionCoreSettings();
        var runs = new Option<int>("--runs") { Description = "Number of schedules (seeds --seed, --seed+1, ...).", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "First seed.", DefaultValueFactory = _ => 1 };
        var orgs = new Option<int>("--orgs") { Description = "Number of orgs.", DefaultValueFactory = _ => 2 };
        var peersPerOrg = new Option<int>("--peers-per-org") { Description = "Peers in each org.", DefaultValueFactory = _ => 10 };
        var aliveThreshold = Duration("--leader-alive-threshold", "peer.gossip.election.leaderAliveThreshold.", core.LeaderAliveThreshold);
        var electionDuration = Duration("--leader-election-duration", "peer.gossip.election.leaderElectionDuration.", core.LeaderElectionDuration);
        var grace = Duration("--startup-grace-period", "peer.gossip.election.startupGracePeriod.", core.StartupGracePeriod);
        var sample = Duration("--membership-sample-interval", "peer.gossip.election.membershipSampleInterval.", core.MembershipSampleInterval);
        var fastFailover = new Option<bool>("--fast-failover") { Description = "peer.gossip.election.fastFailover.", DefaultValueFactory = _ => core.FastFailover };
        var viewLag = Duration("--view-lag", "Delay before views follow a change of connectivity (membership detection).", defaults.ViewLag);
        var hintDelay = Duration("--hint-delay", "Delay before the cluster's unreachable hint (fast failover).", defaults.HintDelay);
        var loss = new Option<double>("--loss") { Description = "Probability a leadership message is lost (0..1).", DefaultValueFactory = _ => 0.0 };
        var bound = new Option<string?>("--bound") { Description = "Bound of both checks (default: 2 x (threshold + duration + view lag))." };

        var command = new Command("election", "Simulate leader election under seeded random partitions and crashes, in virtual time.")
        {
            runs, seed, orgs, peersPerOrg, aliveThreshold, electionDuration, grace, sample, fastFailover, viewLag, hintDelay, loss, bound,
        };
        command.SetAction(parse =>
        {
            ElectionScenario template;
            try
            {
                template = new ElectionScenario
                {
                    Orgs = parse.GetValue(orgs),
                    PeersPerOrg = parse.GetValue(peersPerOrg),
                    LossRate = parse.GetValue(loss),
                    ViewLag = Parse(parse.GetValue(viewLag)!, "--view-lag"),
                    HintDelay = Parse(parse.GetValue(hintDelay)!, "--hint-delay"),
                    Bound = parse.GetValue(bound) is { } b ? Parse(b, "--bound") : null,
                    Settings = core with
                    {
                        LeaderAliveThreshold = Parse(parse.GetValue(aliveThreshold)!, "--leader-alive-threshold"),
                        LeaderElectionDuration = Parse(parse.GetValue(electionDuration)!, "--leader-election-duration"),
                        StartupGracePeriod = Parse(parse.GetValue(grace)!, "--startup-grace-period"),
                        MembershipSampleInterval = Parse(parse.GetValue(sample)!, "--membership-sample-interval"),
                        FastFailover = parse.GetValue(fastFailover),
                    },
                }.Validate();
                if (parse.GetValue(runs) < 1)
                {
                    throw new ArgumentException($"--runs = {parse.GetValue(runs)}: need at least 1");
                }
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"simulate election: {e.Message}");
                return 2;
            }
            var wall = Stopwatch.StartNew();
            var report = ElectionBatchReport.Run(template, parse.GetValue(seed), parse.GetValue(runs));
            Console.WriteLine(report.Format());
            Console.WriteLine($"  wall time: {wall.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
            return report.AllWithinBound ? 0 : 1;
        });
        return command;
    }

    private static Option<string> Duration(string name, string description, TimeSpan fallback) =>
        new(name) { Description = description + " Units: ms, s, m.", DefaultValueFactory = _ => $"{fallback.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms" };

    private static TimeSpan Parse(string text, string option)
    {
        var value = SimulateMembershipCommand.ParseDuration(text, option);
        return value > TimeSpan.Zero ? value : throw new ArgumentException($"{option} = '{text}': need a positive duration");
    }
}
