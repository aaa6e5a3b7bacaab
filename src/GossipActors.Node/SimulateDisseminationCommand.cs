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
        var costs = new MessageCosts();
        var peers = new Option<int>("--peers") { Description = "Number of peers in the channel.", DefaultValueFactory = _ => 100 };
        var orgs = new Option<int>("--orgs") { Description = "Organisations (peers split evenly; blocks stay within each org; one leader per org).", DefaultValueFactory = _ => 1 };
        var blocks = new Option<int>("--blocks") { Description = "Number of blocks from the ordering service.", DefaultValueFactory = _ => 300 };
        var latency = new Option<string>("--latency") { Description = "Base one-way link latency (e.g. 10ms, 0.5s).", DefaultValueFactory = _ => "10ms" };
        var jitter = new Option<string>("--jitter") { Description = "Mean of the exponential delay added per message (0 = none).", DefaultValueFactory = _ => "1ms" };
        var mode = new Option<string>("--mode") { Description = "enhanced | fabric", DefaultValueFactory = _ => "enhanced" };
        var seed = new Option<int>("--seed") { Description = "Seed of every random draw.", DefaultValueFactory = _ => 1 };
        var loss = new Option<double>("--loss") { Description = "Probability that a message is lost (0..1).", DefaultValueFactory = _ => 0 };
        var blockBytes = new Option<int>("--block-bytes") { Description = "Size of each block's payload in bytes.", DefaultValueFactory = _ => 4096 };
        var interval = new Option<string>("--interval") { Description = "Time between blocks.", DefaultValueFactory = _ => "100ms" };
        var randomInjection = new Option<bool>("--inject-random") { Description = "Deliver each block to a random peer of each org instead of its leader." };
        var pushTtl = new Option<int?>("--push-ttl") { Description = "Override pushTtl (enhanced)." };
        var digestTtl = new Option<int?>("--digest-ttl") { Description = "Override digestTtl (enhanced)." };
        var pushPeers = new Option<int?>("--push-peers") { Description = "Override pushPeerNum (enhanced) / propagatePeerNum (fabric)." };
        var digestPeers = new Option<int?>("--digest-peers") { Description = "Override digestPeerNum (enhanced)." };
        var store = new Option<int?>("--store") { Description = "maxBlockCountToStore of the peers (default: reference.conf)." };
        var cores = new Option<int?>("--cores") { Description = "All peers share this many cores (default: a core per peer)." };
        var noCpu = new Option<bool>("--no-cpu") { Description = "No CPU and no frame overhead per message (links only, the earlier model)." };
        var signUs = new Option<double>("--sign-us") { Description = "CPU to encode and sign a control message (µs).", DefaultValueFactory = _ => costs.SignUs };
        var verifyUs = new Option<double>("--verify-us") { Description = "CPU to verify a signature (µs).", DefaultValueFactory = _ => costs.VerifyUs };
        var decodeUs = new Option<double>("--decode-us") { Description = "CPU to decode an envelope, fixed part (µs).", DefaultValueFactory = _ => costs.DecodeUs };
        var decodeUsPerKiB = new Option<double>("--decode-us-per-kib") { Description = "CPU to decode an envelope, per KiB (µs).", DefaultValueFactory = _ => costs.DecodeUsPerKiB };
        var blockVerifyUs = new Option<double>("--block-verify-us") { Description = "CPU to verify a block (orderer signature, data hash) (µs).", DefaultValueFactory = _ => costs.BlockVerifyUs };
        var akkaUs = new Option<double>("--akka-us") { Description = "Akka.Remote CPU per message, sender + receiver, fixed part (µs).", DefaultValueFactory = _ => costs.AkkaUs };
        var akkaUsPerKiB = new Option<double>("--akka-us-per-kib") { Description = "Akka.Remote CPU per message per KiB (µs).", DefaultValueFactory = _ => costs.AkkaUsPerKiB };
        var macUs = new Option<double>("--mac-us") { Description = "Session MAC per message and side, fixed part (µs).", DefaultValueFactory = _ => costs.MacUs };
        var macUsPerKiB = new Option<double>("--mac-us-per-kib") { Description = "Session MAC per message and side, per KiB (µs).", DefaultValueFactory = _ => costs.MacUsPerKiB };
        var storeUsPerBatch = new Option<double>("--store-us-per-batch") { Description = "Ledger write, per batch (one SQLite transaction) (µs).", DefaultValueFactory = _ => costs.StoreUsPerBatch };
        var storeUsPerKiB = new Option<double>("--store-us-per-kib") { Description = "Ledger write, per KiB of block (µs).", DefaultValueFactory = _ => costs.StoreUsPerKiB };
        var readUsPerKiB = new Option<double>("--read-us-per-kib") { Description = "Ledger read to serve state transfer, per KiB of block (µs).", DefaultValueFactory = _ => costs.ReadUsPerKiB };
        var cpuStretch = new Option<double>("--cpu-stretch") { Description = "The machine's load: every CPU and storage cost x this (1 = a quiet core; `load-costs` benchmark measures it).", DefaultValueFactory = _ => costs.CpuStretch };
        var noStateTransfer = new Option<bool>("--no-state-transfer") { Description = "peer.gossip.state.enabled = false: missing blocks are never fetched from the ledgers of other peers." };
        var lateJoiner = new Option<int?>("--late-joiner-at") { Description = "The last peer joins (empty ledger) when block K leaves the orderer; its catch-up time is reported." };
        var aliveInterval = new Option<string?>("--alive-interval") { Description = "Model membership's alive traffic on the CPU: aliveTimeInterval (default: not modelled)." };
        var frame = new Option<int>("--frame-overhead") { Description = "Bytes Akka.Remote adds per message.", DefaultValueFactory = _ => costs.FrameOverheadBytes };
        var publishStateInfo = new Option<string?>("--state-info-publish") { Description = "publishStateInfoInterval (default: reference.conf)." };
        var requestStateInfo = new Option<string?>("--state-info-request") { Description = "requestStateInfoInterval (default: reference.conf)." };
        var warmup = new Option<string>("--warmup") { Description = "Time before the first block, for state info to spread.", DefaultValueFactory = _ => "30s" };
        var memory = new Option<bool>("--memory") { Description = "Print the store memory per channel instead of running the simulation." };

        var command = new Command("dissemination",
            "Simulate block dissemination (enhanced or Fabric push, with pull, state info, ledger and state transfer) with CPU, storage and bytes per message, and print its figures.")
        {
            peers, orgs, blocks, latency, jitter, mode, seed, loss, blockBytes, interval, randomInjection, pushTtl, digestTtl, pushPeers, digestPeers,
            store, cores, noCpu, signUs, verifyUs, decodeUs, decodeUsPerKiB, blockVerifyUs, akkaUs, akkaUsPerKiB, macUs, macUsPerKiB, storeUsPerBatch, storeUsPerKiB, readUsPerKiB, cpuStretch, frame,
            publishStateInfo, requestStateInfo, warmup, noStateTransfer, lateJoiner, aliveInterval, memory,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(memory))
            {
                Console.WriteLine(DisseminationMemoryProbe.Table(result.GetValue(blockBytes)));
                return 0;
            }
            if (!TryDuration(result.GetValue(latency)!, out var d) || !TryDuration(result.GetValue(interval)!, out var every) ||
                !TryDuration(result.GetValue(jitter)!, out var spread, allowZero: true) || !TryDuration(result.GetValue(warmup)!, out var warm) ||
                !TryOptionalDuration(result.GetValue(publishStateInfo), out var publish) || !TryOptionalDuration(result.GetValue(requestStateInfo), out var request) ||
                !TryOptionalDuration(result.GetValue(aliveInterval), out var alive))
            {
                Console.Error.WriteLine("--latency, --jitter, --interval, --warmup, --alive-interval and --state-info-* take a duration such as 10ms, 250us or 0.5s (--jitter may be 0).");
                return 2;
            }
            var stateInfo = new DisseminationSimulationOptions().EffectiveStateInfo;
            if (publish is not null || request is not null)
            {
                var p = publish ?? stateInfo.PublishInterval;
                stateInfo = stateInfo with { PublishInterval = p, RequestInterval = request ?? stateInfo.RequestInterval, RetentionInterval = p * 100 };
            }
            if (!Enum.TryParse<DisseminationMode>(result.GetValue(mode), ignoreCase: true, out var chosen))
            {
                Console.Error.WriteLine($"--mode = {result.GetValue(mode)}: expected enhanced or fabric.");
                return 2;
            }
            var options = new DisseminationSimulationOptions
            {
                Peers = result.GetValue(peers),
                Orgs = result.GetValue(orgs),
                Blocks = result.GetValue(blocks),
                Latency = d,
                Jitter = spread,
                Mode = chosen,
                Seed = result.GetValue(seed),
                LossRate = result.GetValue(loss),
                BlockBytes = result.GetValue(blockBytes),
                BlockInterval = every,
                InjectAtLeader = !result.GetValue(randomInjection),
                MaxBlockCountToStore = result.GetValue(store),
                SharedCores = result.GetValue(cores),
                StateInfo = stateInfo,
                Warmup = warm,
                Costs = result.GetValue(noCpu) ? MessageCosts.Free : new MessageCosts
                {
                    SignUs = result.GetValue(signUs),
                    VerifyUs = result.GetValue(verifyUs),
                    DecodeUs = result.GetValue(decodeUs),
                    DecodeUsPerKiB = result.GetValue(decodeUsPerKiB),
                    BlockVerifyUs = result.GetValue(blockVerifyUs),
                    AkkaUs = result.GetValue(akkaUs),
                    AkkaUsPerKiB = result.GetValue(akkaUsPerKiB),
                    MacUs = result.GetValue(macUs),
                    MacUsPerKiB = result.GetValue(macUsPerKiB),
                    StoreUsPerBatch = result.GetValue(storeUsPerBatch),
                    StoreUsPerKiB = result.GetValue(storeUsPerKiB),
                    ReadUsPerKiB = result.GetValue(readUsPerKiB),
                    CpuStretch = result.GetValue(cpuStretch),
                    FrameOverheadBytes = result.GetValue(frame),
                },
                StateTransfer = result.GetValue(noStateTransfer)
                    ? new DisseminationSimulationOptions().EffectiveStateTransfer with { Enabled = false }
                    : null,
                LateJoinerAtBlock = result.GetValue(lateJoiner),
                AliveInterval = alive,
                Settings = Overrides(new DisseminationCoreSettings(), result.GetValue(pushTtl), result.GetValue(digestTtl),
                    result.GetValue(pushPeers), result.GetValue(digestPeers)),
            };
            if (options.Validate() is { Count: > 0 } problems)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, problems));
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

    private static bool TryOptionalDuration(string? text, out TimeSpan? value)
    {
        value = null;
        if (text is null)
        {
            return true;
        }
        var ok = TryDuration(text, out var parsed);
        value = parsed;
        return ok;
    }

    internal static bool TryDuration(string text, out TimeSpan value, bool allowZero = false)
    {
        if (allowZero && text.Trim() == "0")
        {
            value = TimeSpan.Zero;
            return true;
        }
        var units = new (string Suffix, double Ms)[] { ("us", 0.001), ("ms", 1), ("s", 1000), ("m", 60_000) };
        foreach (var (suffix, ms) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) &&
                (number > 0 || (allowZero && number == 0)))
            {
                value = TimeSpan.FromMilliseconds(number * ms);
                return true;
            }
        }
        value = default;
        return false;
    }
}
