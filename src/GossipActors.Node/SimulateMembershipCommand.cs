using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using GossipActors.Discovery;
using GossipActors.Simulation;

namespace GossipActors.Node;

/// <summary><c>gossip-node simulate membership</c>: discovery for N peers; prints convergence, detection and cost figures.</summary>
internal static class SimulateMembershipCommand
{
    public static Command Create()
    {
        var defaults = new MembershipScenario();
        var settings = new MembershipSettings();
        var peers = new Option<int>("--peers") { Description = "Number of peers.", DefaultValueFactory = _ => 1000 };
        var orgs = new Option<int>("--orgs") { Description = "Number of orgs (contiguous blocks of peers).", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of every random draw.", DefaultValueFactory = _ => defaults.Seed };
        var crash = new Option<int>("--crash") { Description = "Peers that crash at --crash-at.", DefaultValueFactory = _ => 0 };
        var crashAt = Duration("--crash-at", "When the crash happens.", defaults.CrashAt);
        var loss = new Option<double>("--loss") { Description = "Probability a message is lost (0..1).", DefaultValueFactory = _ => 0.0 };
        var latency = Duration("--latency", "One-way latency.", defaults.Latency);
        var jitter = Duration("--jitter", "Extra random latency, uniform in [0, jitter).", defaults.LatencyJitter);
        var partitionAt = new Option<string?>("--partition-at") { Description = "Split the network in two at this time (e.g. 60s)." };
        var healAt = new Option<string?>("--heal-at") { Description = "Heal the partition at this time." };
        var duration = Duration("--duration", "Virtual time to simulate.", defaults.Duration);
        var aliveInterval = Duration("--alive-interval", "peer.gossip.aliveTimeInterval.", settings.AliveInterval);
        var expiration = Duration("--alive-expiration", "peer.gossip.aliveExpirationTimeout.", settings.AliveExpirationTimeout);
        var fanout = new Option<int>("--fanout") { Description = "peer.gossip.propagatePeerNum.", DefaultValueFactory = _ => settings.PropagatePeerNum };
        var antiEntropy = Duration("--anti-entropy", "Anti-entropy interval (0 = off, Fabric's behaviour).", settings.AntiEntropyInterval);
        var sendFailures = new Option<bool>("--send-failures") { Description = "Sends to crashed peers fail and declare them dead at once." };

        var command = new Command("membership", "Simulate discovery (alive/dead views) for many peers in virtual time.")
        {
            peers, orgs, seed, crash, crashAt, loss, latency, jitter, partitionAt, healAt, duration,
            aliveInterval, expiration, fanout, antiEntropy, sendFailures,
        };
        command.SetAction(parse =>
        {
            MembershipScenario scenario;
            try
            {
                scenario = new MembershipScenario
                {
                    Peers = parse.GetValue(peers),
                    Orgs = parse.GetValue(orgs),
                    Seed = parse.GetValue(seed),
                    CrashCount = parse.GetValue(crash),
                    CrashAt = ParseDuration(parse.GetValue(crashAt)!, "--crash-at"),
                    LossRate = parse.GetValue(loss),
                    Latency = ParseDuration(parse.GetValue(latency)!, "--latency"),
                    LatencyJitter = ParseDuration(parse.GetValue(jitter)!, "--jitter"),
                    PartitionAt = parse.GetValue(partitionAt) is { } p ? ParseDuration(p, "--partition-at") : null,
                    HealAt = parse.GetValue(healAt) is { } h ? ParseDuration(h, "--heal-at") : null,
                    Duration = ParseDuration(parse.GetValue(duration)!, "--duration"),
                    SendFailures = parse.GetValue(sendFailures),
                    Settings = settings with
                    {
                        AliveInterval = ParseDuration(parse.GetValue(aliveInterval)!, "--alive-interval"),
                        AliveExpirationTimeout = ParseDuration(parse.GetValue(expiration)!, "--alive-expiration"),
                        PropagatePeerNum = parse.GetValue(fanout),
                        AntiEntropyInterval = ParseDuration(parse.GetValue(antiEntropy)!, "--anti-entropy"),
                    },
                }.Validate();
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"simulate membership: {e.Message}");
                return 2;
            }
            var wall = Stopwatch.StartNew();
            // One thread allocating fast with a large, long-lived heap: background GC only costs here.
            var latencyMode = GCSettings.LatencyMode;
            GCSettings.LatencyMode = GCLatencyMode.Batch;
            var report = new MembershipSimulation(scenario).Run();
            GCSettings.LatencyMode = latencyMode;
            Console.WriteLine(report.Format());
            Console.WriteLine($"  wall time: {wall.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
            return 0;
        });
        return command;
    }

    private static Option<string> Duration(string name, string description, TimeSpan fallback) =>
        new(name) { Description = description + " Units: ms, s, m.", DefaultValueFactory = _ => Format(fallback) };

    private static string Format(TimeSpan t) =>
        t.TotalMilliseconds % 1000 == 0 ? $"{t.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s" : $"{t.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms";

    /// <summary>Parses "10ms", "5s", "2m" or a bare number of seconds; a clear error names the option otherwise.</summary>
    internal static TimeSpan ParseDuration(string text, string option)
    {
        var t = text.Trim();
        (string number, double scale) = t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (t[..^2], 1.0)
            : t.EndsWith('s') ? (t[..^1], 1000.0)
            : t.EndsWith('m') ? (t[..^1], 60_000.0)
            : (t, 1000.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new ArgumentException($"{option} = '{text}' is not a duration; use e.g. 10ms, 5s or 2m.");
        }
        return TimeSpan.FromMilliseconds(value * scale);
    }
}
