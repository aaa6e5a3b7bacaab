using System.CommandLine;
using System.Globalization;
using GossipActors.Channels;
using GossipActors.Simulation;

namespace GossipActors.Node;

/// <summary>`gossip-node simulate dissemination`: block dissemination over N simulated peers; prints a table.</summary>
internal static class SimulateDisseminationCommand
{
    public static Command Create()
    {
        var peers = new Option<int>("--peers") { Description = "Number of peers in the channel.", DefaultValueFactory = _ => 100 };
        var blocks = new Option<int>("--blocks") { Description = "Number of blocks injected.", DefaultValueFactory = _ => 300 };
        var latency = new Option<string>("--latency") { Description = "One-way link latency d (e.g. 10ms, 0.5s).", DefaultValueFactory = _ => "10ms" };
        var mode = new Option<string>("--mode") { Description = "enhanced | fabric", DefaultValueFactory = _ => "enhanced" };
        var seed = new Option<int>("--seed") { Description = "Seed of every random draw.", DefaultValueFactory = _ => 1 };
        var loss = new Option<double>("--loss") { Description = "Probability that a message is lost (0..1).", DefaultValueFactory = _ => 0 };
        var blockBytes = new Option<int>("--block-bytes") { Description = "Size of each block in bytes.", DefaultValueFactory = _ => 4096 };
        var interval = new Option<string>("--interval") { Description = "Time between injected blocks.", DefaultValueFactory = _ => "100ms" };
        var leader = new Option<bool>("--leader") { Description = "Inject every block at peer 0 instead of a random peer." };
        var pushTtl = new Option<int?>("--push-ttl") { Description = "Override pushTtl (enhanced)." };
        var digestTtl = new Option<int?>("--digest-ttl") { Description = "Override digestTtl (enhanced)." };
        var pushPeers = new Option<int?>("--push-peers") { Description = "Override pushPeerNum (enhanced) / propagatePeerNum (fabric)." };
        var digestPeers = new Option<int?>("--digest-peers") { Description = "Override digestPeerNum (enhanced)." };
        var store = new Option<int>("--store") { Description = "maxBlockCountToStore of the simulated peers.", DefaultValueFactory = _ => 100 };
        var memory = new Option<bool>("--memory") { Description = "Print the store memory per channel instead of running the simulation." };

        var command = new Command("dissemination", "Simulate block dissemination (enhanced or Fabric push, with pull) and print its figures.")
        {
            peers, blocks, latency, mode, seed, loss, blockBytes, interval, leader, pushTtl, digestTtl, pushPeers, digestPeers, store, memory,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(memory))
            {
                Console.WriteLine(DisseminationMemoryProbe.Table(result.GetValue(blockBytes)));
                return 0;
            }
            if (!TryDuration(result.GetValue(latency)!, out var d) || !TryDuration(result.GetValue(interval)!, out var every))
            {
                Console.Error.WriteLine("--latency and --interval take a duration such as 10ms, 250us or 0.5s.");
                return 2;
            }
            if (!Enum.TryParse<DisseminationMode>(result.GetValue(mode), ignoreCase: true, out var chosen))
            {
                Console.Error.WriteLine($"--mode = {result.GetValue(mode)}: expected enhanced or fabric.");
                return 2;
            }
            var options = new DisseminationSimulationOptions
            {
                Peers = result.GetValue(peers),
                Blocks = result.GetValue(blocks),
                Latency = d,
                Mode = chosen,
                Seed = result.GetValue(seed),
                LossRate = result.GetValue(loss),
                BlockBytes = result.GetValue(blockBytes),
                BlockInterval = every,
                InjectAtLeader = result.GetValue(leader),
                MaxBlockCountToStore = result.GetValue(store),
                Settings = Overrides(new DisseminationCoreSettings(), result.GetValue(pushTtl), result.GetValue(digestTtl),
                    result.GetValue(pushPeers), result.GetValue(digestPeers)),
            };
            if (options.EffectiveSettings.Validate() is { Count: > 0 } problems)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, problems));
                return 2;
            }
            if (options.Peers < 2 || options.Blocks < 1 || options.LossRate is < 0 or >= 1 || options.BlockBytes < 1)
            {
                Console.Error.WriteLine("Need --peers >= 2, --blocks >= 1, 0 <= --loss < 1, --block-bytes >= 1.");
                return 2;
            }
            Console.WriteLine(DisseminationSimulation.Run(options).ToTable());
            return 0;
        });
        return command;
    }

    private static DisseminationCoreSettings Overrides(DisseminationCoreSettings s, int? pushTtl, int? digestTtl, int? pushPeers, int? digestPeers) =>
        s with
        {
            PushTtl = pushTtl ?? s.PushTtl,
            DigestTtl = digestTtl ?? s.DigestTtl,
            PushPeerNum = pushPeers ?? s.PushPeerNum,
            PropagatePeerNum = pushPeers ?? s.PropagatePeerNum,
            DigestPeerNum = digestPeers ?? s.DigestPeerNum,
        };

    internal static bool TryDuration(string text, out TimeSpan value)
    {
        var units = new (string Suffix, double Ms)[] { ("us", 0.001), ("ms", 1), ("s", 1000), ("m", 60_000) };
        foreach (var (suffix, ms) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0)
            {
                value = TimeSpan.FromMilliseconds(number * ms);
                return true;
            }
        }
        value = default;
        return false;
    }
}
