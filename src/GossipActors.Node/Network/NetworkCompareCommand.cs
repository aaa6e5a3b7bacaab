using System.CommandLine;
using System.Globalization;
using GossipActors.Crypto;

namespace GossipActors.Node.Network;

/// <summary>
/// <c>gossip-node network compare [--dir DIR] [--orgs 2] [--peers-per-org 5] [--blocks 200]</c>: the benchmark
/// "gossip against the orderer". One network (written by network init if DIR holds none), run twice, each node its
/// own process: (a) block gossip off, every peer pulls from the orderer; (b) block gossip on, only leaders pull and
/// gossip spreads the blocks. Per run: time from cut to 100 % of peers committed (p50, p99, max), orderer deliver
/// bytes, CPU seconds of all node processes and full copies per peer, per block; then (b)/(a).
/// Exit codes as <c>network up</c>.
/// </summary>
internal static class NetworkCompareCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--dir") { Description = "The network directory; written by network init if it holds no network.", DefaultValueFactory = _ => "network-compare" };
        var orgs = new Option<int>("--orgs") { Description = "Peer organisations, for a new network.", DefaultValueFactory = _ => 2 };
        var peers = new Option<int>("--peers-per-org") { Description = "Peers per organisation, for a new network.", DefaultValueFactory = _ => 5 };
        var blocks = new Option<int>("--blocks") { Description = "Blocks measured per run.", DefaultValueFactory = _ => 200 };
        var warmUp = new Option<int>("--warm-up")
        {
            Description = "Blocks cut and awaited before measuring, per run (more than the orderer's deliver window, 16: an early self-elected leader's stale stream is drained before measuring).",
            DefaultValueFactory = _ => 20,
        };
        var rate = new Option<double>("--rate") { Description = "Blocks per second to submit.", DefaultValueFactory = _ => 5 };
        var size = new Option<int>("--tx-size") { Description = "Bytes per transaction.", DefaultValueFactory = _ => 1000 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds per run before giving up.", DefaultValueFactory = _ => 600 };
        var output = new Option<string?>("--output") { Description = "Also write the comparison (Markdown) to this file." };
        var command = new Command("compare", "Benchmark: every peer pulling from the orderer against leaders pulling and gossip spreading blocks.")
        {
            directory, orgs, peers, blocks, warmUp, rate, size, timeout, output,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var plan = new RunPlan(parse.GetValue(blocks), Math.Max(0, parse.GetValue(warmUp)), parse.GetValue(rate), parse.GetValue(size),
                TimeSpan.FromSeconds(parse.GetValue(timeout)), WaitForLeaders: false);
            // TLS off: the comparison measures dissemination, not TLS; the figures in docs/gossip-vs-orderer.md were taken so.
            var options = new NetworkOptions(parse.GetValue(orgs), parse.GetValue(peers), Tls: false);
            if (NetworkUpCommand.Problems(plan, options) is { Count: > 0 } problems)
            {
                problems.ToList().ForEach(p => stderr.WriteLine("network compare: " + p));
                return NetworkUpCommand.BadArguments;
            }
            NetworkManifest network;
            try
            {
                network = NetworkSession.Prepare(parse.GetValue(directory)!, options, out _);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or CryptoMaterialExistsException)
            {
                await stderr.WriteLineAsync("network compare: " + ex.Message);
                return NetworkUpCommand.NoNetwork;
            }
            var summaries = new List<RunSummary>();
            var transactionsPerBlock = 0;
            foreach (var gossip in new[] { false, true })
            {
                var name = gossip ? "(b) block gossip on: leaders pull, gossip spreads" : "(a) block gossip off: every peer pulls from the orderer";
                await stdout.WriteLineAsync($"network compare: {name}; {network.Peers.Count()} peers in {network.Orgs.Count} orgs, {network.Directory}");
                RunResult result;
                await using (var session = NetworkSession.Start(network, NetworkUpCommand.PeerEnvironment(gossip)))
                {
                    using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellation, session.Launcher.StopOnSignals());
                    transactionsPerBlock = session.TransactionsPerBlock;
                    result = await NetworkRunner.RunAsync(session, plan with { WaitForLeaders = gossip }, new PlainRunView(stdout), interrupted.Token);
                    await session.Launcher.StopAllAsync();
                }
                if (result.Outcome != RunOutcome.Reached)
                {
                    await stderr.WriteLineAsync($"network compare: {name}: {result.Detail}");
                    return result.Outcome switch
                    {
                        RunOutcome.TimedOut => NetworkUpCommand.TimedOut,
                        RunOutcome.NodeExited => NetworkUpCommand.NodeExited,
                        RunOutcome.SubmitFailed => NetworkUpCommand.SubmitFailed,
                        _ => NetworkUpCommand.Interrupted,
                    };
                }
                foreach (var line in SummaryText.Lines(result.Summary!))
                {
                    await stdout.WriteLineAsync(line);
                }
                summaries.Add(result.Summary!);
            }
            var table = SummaryText.Comparison(summaries[0], summaries[1]).ToList();
            var conditions = string.Create(CultureInfo.InvariantCulture,
                $"{network.Orgs.Count} orgs x {network.Peers.Count() / Math.Max(1, network.Orgs.Count)} peers and a solo orderer, each its own process; {plan.Blocks} blocks per run after {plan.WarmUpBlocks} warm-up blocks, "
                + $"{plan.BlocksPerSecond:0.##} blocks/s, blocks of {transactionsPerBlock} transactions of {plan.TransactionBytes} bytes; {network.Election.ToString().ToLowerInvariant()} election, TLS {(network.Tls ? "on" : "off")}");
            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync(conditions);
            foreach (var line in table)
            {
                await stdout.WriteLineAsync(line);
            }
            if (parse.GetValue(output) is { Length: > 0 } file)
            {
                await File.WriteAllLinesAsync(file, [conditions, "", .. table], cancellation);
            }
            return NetworkUpCommand.Ok;
        });
        return command;
    }
}
