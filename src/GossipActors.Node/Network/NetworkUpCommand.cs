using System.CommandLine;
using GossipActors.Configuration;
using GossipActors.Crypto;

namespace GossipActors.Node.Network;

/// <summary>
/// <c>gossip-node network up [--dir DIR] [--orgs 2] [--peers-per-org 3] [--blocks 20] [--keep] [--block-gossip on|off]</c>:
/// runs <c>network init</c> if DIR holds no network, starts the orderer and the peers as child processes, submits
/// transactions, shows a live view (a table on a terminal, plain lines otherwise) until every peer has the target
/// height, prints the summary and stops the children (with --keep: keeps them until Ctrl-C).
/// Exit codes: 0 target reached, 2 bad arguments, 3 the network could not be written or read, 4 timed out,
/// 5 a node exited, 6 the orderer refused transactions, 130 interrupted.
/// </summary>
internal static class NetworkUpCommand
{
    public const int Ok = 0;
    public const int BadArguments = 2;
    public const int NoNetwork = 3;
    public const int TimedOut = 4;
    public const int NodeExited = 5;
    public const int SubmitFailed = 6;
    public const int Interrupted = 130;

    /// <summary>The peers' override that turns block gossip off (every peer pulls from the orderer).</summary>
    public static readonly string BlockGossipVariable = EnvironmentOverrides.VariableName("peer.deliveryclient.blockGossipEnabled");

    public static Command Create()
    {
        var directory = new Option<string>("--dir") { Description = "The network directory; written by network init if it holds no network.", DefaultValueFactory = _ => "network" };
        var orgs = new Option<int>("--orgs") { Description = "Peer organisations, for a new network.", DefaultValueFactory = _ => 2 };
        var peers = new Option<int>("--peers-per-org") { Description = "Peers per organisation, for a new network.", DefaultValueFactory = _ => 3 };
        var blocks = new Option<int>("--blocks") { Description = "Blocks to cut; done when every peer has them.", DefaultValueFactory = _ => 20 };
        var keep = new Option<bool>("--keep") { Description = "Keep the network running after the summary, until Ctrl-C." };
        var gossip = new Option<string>("--block-gossip") { Description = "on: leaders pull from the orderer and gossip spreads blocks; off: every peer pulls (Fabric 2.2+).", DefaultValueFactory = _ => "on" };
        gossip.AcceptOnlyFromAmong("on", "off");
        var rate = new Option<double>("--rate") { Description = "Blocks per second to submit.", DefaultValueFactory = _ => 5 };
        var size = new Option<int>("--tx-size") { Description = "Bytes per transaction.", DefaultValueFactory = _ => 1000 };
        var tls = new Option<string>("--tls")
        {
            Description = "For a new network: on = mutual TLS on every listener (peers, org clusters, orderer); off = plain TCP on loopback (a warning at each node's start).",
            DefaultValueFactory = _ => "on",
        };
        tls.AcceptOnlyFromAmong("on", "off");
        var timeout = new Option<int>("--timeout") { Description = "Seconds for the whole run (start, elect, reach the target) before giving up.", DefaultValueFactory = _ => 300 };
        var command = new Command("up", "Start a local network (init if needed), move blocks through it with a live view, print a summary.")
        {
            directory, orgs, peers, blocks, keep, gossip, rate, size, tls, timeout,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var plan = new RunPlan(parse.GetValue(blocks), 0, parse.GetValue(rate), parse.GetValue(size),
                TimeSpan.FromSeconds(parse.GetValue(timeout)), WaitForLeaders: parse.GetValue(gossip) == "on");
            var options = new NetworkOptions(parse.GetValue(orgs), parse.GetValue(peers), Tls: parse.GetValue(tls) == "on");
            if (Problems(plan, options) is { Count: > 0 } problems)
            {
                problems.ToList().ForEach(p => stderr.WriteLine("network up: " + p));
                return BadArguments;
            }
            NetworkManifest network;
            try
            {
                network = NetworkSession.Prepare(parse.GetValue(directory)!, options, out var created);
                await stdout.WriteLineAsync(created
                    ? $"network up: wrote a new network of {options.Orgs} orgs x {options.PeersPerOrg} peers in {network.Directory} (TLS {(options.Tls ? "on" : "off: plain TCP on loopback")})"
                    : $"network up: using the network in {network.Directory} ({network.Orgs.Count} orgs, {network.Peers.Count()} peers; delete the directory for a new shape)");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or CryptoMaterialExistsException)
            {
                await stderr.WriteLineAsync("network up: " + ex.Message);
                return NoNetwork;
            }
            return await RunAsync(network, plan, parse.GetValue(keep), stdout, stderr, cancellation);
        });
        return command;
    }

    public static IReadOnlyList<string> Problems(RunPlan plan, NetworkOptions options)
    {
        var problems = new List<string>(options.Problems());
        if (plan.Blocks is < 1 or > 1000)
        {
            problems.Add($"--blocks: {plan.Blocks} is not allowed; give 1 to 1000 (a peer keeps the times of its last 1,024 blocks).");
        }
        if (plan.BlocksPerSecond is <= 0 or > 1000)
        {
            problems.Add($"--rate: {plan.BlocksPerSecond} is not allowed; give more than 0 and at most 1000 blocks per second.");
        }
        if (plan.TransactionBytes is < 1 or > 1_000_000)
        {
            problems.Add($"--tx-size: {plan.TransactionBytes} is not allowed; give 1 to 1000000 bytes.");
        }
        if (plan.Timeout < TimeSpan.FromSeconds(10))
        {
            problems.Add($"--timeout: {plan.Timeout.TotalSeconds:F0} is not allowed; give at least 10 seconds.");
        }
        return problems;
    }

    /// <summary>The peers' environment for a run: block gossip off sets peer.deliveryclient.blockGossipEnabled = false.</summary>
    public static IReadOnlyDictionary<string, string> PeerEnvironment(bool blockGossip) =>
        blockGossip ? new Dictionary<string, string>() : new Dictionary<string, string> { [BlockGossipVariable] = "false" };

    private static async Task<int> RunAsync(NetworkManifest network, RunPlan plan, bool keep, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        await using var session = NetworkSession.Start(network, PeerEnvironment(plan.WaitForLeaders));
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellation, session.Launcher.StopOnSignals());
        await stdout.WriteLineAsync($"network up: started {network.Orderer.Name} and {network.Peers.Count()} peers (block gossip {(plan.WaitForLeaders ? "on" : "off")}); logs in {network.LogDirectory}");
        var interactive = ReferenceEquals(stdout, Console.Out) && LiveRunView.IsInteractiveTerminal;
        var result = await LiveRunView.RunAsync(interactive, stdout, view => NetworkRunner.RunAsync(session, plan, view, interrupted.Token));
        if (result.Outcome != RunOutcome.Reached)
        {
            await stderr.WriteLineAsync($"network up: {result.Detail}");
            await stdout.WriteLineAsync("network up: stopping the nodes ...");
            return result.Outcome switch
            {
                RunOutcome.TimedOut => TimedOut,
                RunOutcome.NodeExited => NodeExited,
                RunOutcome.SubmitFailed => SubmitFailed,
                _ => Interrupted,
            };
        }
        await stdout.WriteLineAsync($"network up: every peer has height {result.Target}");
        foreach (var line in SummaryText.Lines(result.Summary!))
        {
            await stdout.WriteLineAsync(line);
        }
        if (keep)
        {
            await stdout.WriteLineAsync("network up: --keep: the network keeps running; Ctrl-C stops it.");
            await LiveRunView.RunAsync(interactive, stdout, view => KeepAsync(session, view, result.Target, interrupted.Token));
        }
        await stdout.WriteLineAsync("network up: stopping the nodes ...");
        await session.Launcher.StopAllAsync();
        await stdout.WriteLineAsync("network up: stopped");
        return Ok;
    }

    private static async Task<bool> KeepAsync(NetworkSession session, IRunView view, ulong target, CancellationToken cancellation)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (true)
            {
                view.Show(LiveViewModel.Of(await session.PeersAsync(cancellation), target, clock.Elapsed, await session.OrdererHeightAsync(cancellation)));
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            }
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
