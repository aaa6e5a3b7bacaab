using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Hosting;
using GossipActors.Ordering;

namespace GossipActors.Benchmarks.Failover;

/// <summary>
/// Leader failover over real Akka.Remote on loopback (issue 10, acceptance 4). Each round starts an orderer and
/// <c>--peers</c> Org1 peers with dynamic election and the org cluster on, each node its own actor systems in this
/// one process (not separate OS processes), TLS off, SQLite ledgers. A client submits transactions continuously
/// (2 every ~50 ms; the orderer cuts a block every 200 ms). Once one peer leads and every peer has committed blocks,
/// the leader's gossip and org actor systems are terminated abruptly (no cluster leave, no coordinated shutdown: a
/// crash). Measured from that instant (t0): the first LeadershipChanged (IsLeader) at a survivor, the first block cut
/// after t0 (number ≥ the orderer's height read right after the kill) committed at any survivor, and at every survivor.
/// <c>dotnet run -c Release --project src/GossipActors.Benchmarks -- failover --rounds 5 --config both</c>
/// </summary>
internal static class FailoverRun
{
    private const string Channel = "bench";

    private sealed record RoundResult(double? LeaderMs, double? FirstCommitMs, double? AllCommitMs, ulong CutAfter);

    public static async Task<int> Run(string[] args)
    {
        var rounds = BenchmarkArgs.Int(args, "--rounds", 5);
        var peers = BenchmarkArgs.Int(args, "--peers", 3);
        var which = BenchmarkArgs.Text(args, "--config", "both");
        var tunedPath = BenchmarkArgs.Text(args, "--tuned-file", "hocon/tuned-failover.conf");
        var configurations = new List<(string Name, Config? Base)>();
        if (which is "both" or "default")
        {
            configurations.Add(("default", null));
        }
        if (which is "both" or "tuned")
        {
            configurations.Add(("tuned", ConfigurationFactory.ParseString(File.ReadAllText(tunedPath))));
        }
        Console.WriteLine($"failover: {rounds} rounds x {peers} peers of Org1 + 1 orderer per configuration; in-process actor systems over loopback Akka.Remote, TLS off, org cluster on");
        var rows = new List<string>();
        var failed = false;
        foreach (var (name, baseConfig) in configurations)
        {
            var results = new List<RoundResult>();
            for (var round = 0; round < rounds; round++)
            {
                var result = await Round(peers, baseConfig);
                results.Add(result);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name} round {round + 1}: new leader {Ms(result.LeaderMs)} ms, first post-kill block (≥ #{result.CutAfter}) at a survivor {Ms(result.FirstCommitMs)} ms, at all survivors {Ms(result.AllCommitMs)} ms"));
                failed |= result.FirstCommitMs is null;
            }
            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {rounds} | {Stat(results, r => r.LeaderMs, 0.5)} | {Stat(results, r => r.LeaderMs, 1)} | {Stat(results, r => r.FirstCommitMs, 0.5)} | {Stat(results, r => r.FirstCommitMs, 1)} | {Stat(results, r => r.AllCommitMs, 0.5)} | {Stat(results, r => r.AllCommitMs, 1)} |"));
        }
        Console.WriteLine();
        Console.WriteLine("| configuration | rounds | kill → new leader p50 (ms) | max (ms) | kill → next block at a survivor p50 (ms) | max (ms) | kill → at all survivors p50 (ms) | max (ms) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        return failed ? 1 : 0;
    }

    private static async Task<RoundResult> Round(int peerCount, Config? baseConfig)
    {
        using var pki = new BenchmarkPki();
        using var submitter = pki.Org1Peer("client0.org1");
        var root = Directory.CreateTempSubdirectory("failover-bench-").FullName;
        var ordererPort = LoopbackNodes.FreePort();
        var orderer = LoopbackNodes.StartOrderer($$"""
            orderer {
              General { ListenAddress = "127.0.0.1", ListenPort = {{ordererPort}}, LocalMSPID = "OrdererOrg" }
              FileLedger.Location = "{{Path.Combine(root, "orderer")}}"
              BatchTimeout = 200ms
              BatchSize { MaxMessageCount = 10 }
              Channels = [{ orgs = ["Org1"], name = "{{Channel}}" }]
            }
            akka.loglevel = WARNING
            """, pki.Orderer, pki.Verifier);
        var client = LoopbackNodes.SubmitClient();
        var ports = Enumerable.Range(0, peerCount).Select(_ => LoopbackNodes.FreePort()).ToArray();
        var orgPorts = Enumerable.Range(0, peerCount).Select(_ => LoopbackNodes.FreePort()).ToArray();
        var events = new ConcurrentQueue<FailoverEvent>();
        var nodes = new List<PeerNode>();
        using var stopSubmitting = new CancellationTokenSource();
        Task submitting = Task.CompletedTask;
        try
        {
            for (var i = 0; i < peerCount; i++)
            {
                var node = LoopbackNodes.StartPeer(Hocon(i, ports, orgPorts, ordererPort, root), pki.Org1Peer($"peer{i}.org1"), pki.Verifier, baseConfig);
                node.System.ActorOf(FailoverRecorder.Props(i, events));
                nodes.Add(node);
            }
            var ordererPath = OrdererNode.ActorPath(orderer.Endpoint);
            submitting = Submit(client, submitter, ordererPath, stopSubmitting.Token);

            // One leader, every peer has committed a few blocks through it.
            var leaderIndex = -1;
            var ready = Stopwatch.StartNew();
            while (leaderIndex < 0)
            {
                if (ready.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException("no single leader with every peer committing within 2 minutes");
                }
                await Task.Delay(200);
                var statuses = await Task.WhenAll(nodes.Select(Status));
                var leaders = Enumerable.Range(0, peerCount).Where(i => statuses[i].IsLeader).ToList();
                if (leaders.Count == 1 && statuses.All(s => s.Height >= 3))
                {
                    leaderIndex = leaders[0];
                }
            }
            var leader = nodes[leaderIndex];

            var t0 = Stopwatch.GetTimestamp();
            var killed = Task.WhenAll(leader.OrgSystem?.Terminate() ?? Task.CompletedTask, leader.System.Terminate());
            var cutAfter = (await orderer.Orderer.Ask<OrdererStatus>(GetOrdererStatus.Instance, TimeSpan.FromSeconds(10))).Heights[Channel];
            var survivors = Enumerable.Range(0, peerCount).Where(i => i != leaderIndex).ToHashSet();
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(90)
                && !survivors.All(p => events.Any(e => e.Peer == p && e.Committed >= cutAfter && e.At > t0)))
            {
                await Task.Delay(50);
            }
            await killed;
            nodes.RemoveAt(leaderIndex);

            var after = events.Where(e => survivors.Contains(e.Peer) && e.At > t0).ToList();
            double? Since(long? at) => at is { } a ? Stopwatch.GetElapsedTime(t0, a).TotalMilliseconds : null;
            var leaderAt = after.Where(e => e.BecameLeader).Select(e => (long?)e.At).Min();
            var firstCommits = survivors.Select(p => after.Where(e => e.Peer == p && e.Committed >= cutAfter).Select(e => (long?)e.At).Min()).ToList();
            return new RoundResult(Since(leaderAt), Since(firstCommits.Min()),
                firstCommits.Any(c => c is null) ? null : Since(firstCommits.Max()), cutAfter);
        }
        finally
        {
            await stopSubmitting.CancelAsync();
            await submitting;
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
            await orderer.DisposeAsync();
            await client.Terminate();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Two transactions of 200 B about every 50 ms until cancelled (errors while no one leads are expected).</summary>
    private static async Task Submit(ActorSystem client, NodeIdentity submitter, string ordererPath, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Broadcast.RunAsync(client, submitter, ordererPath, Channel, count: 2, size: 200, inFlight: 2, answerTimeout: TimeSpan.FromSeconds(5));
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static Task<ChannelStatus> Status(PeerNode node) => LoopbackNodes.Status(node, Channel);

    private static string Hocon(int i, int[] ports, int[] orgPorts, int ordererPort, string root) => $$"""
        peer {
          id = "peer{{i}}.org1"
          localMspId = "Org1"
          address = "127.0.0.1:{{ports[i]}}"
          mspConfigPath = "in-memory"
          fileSystemPath = "{{Path.Combine(root, "peer" + i)}}"
          # The orderer has no TLS yet: plain TCP for the whole network.
          tls.enabled = false
          operations.listenAddress = ""
          gossip {
            bootstrap = ["127.0.0.1:{{ports[0]}}"]
            useLeaderElection = true
            orgLeader = false
            orgCluster.address = "127.0.0.1:{{orgPorts[i]}}"
            orgCluster.bootstrap = ["127.0.0.1:{{orgPorts[0]}}"]
          }
          channels = [ { name = "{{Channel}}", orgs = ["Org1"], orderers = ["127.0.0.1:{{ordererPort}}"], ordererOrg = "OrdererOrg" } ]
        }
        akka.loglevel = WARNING
        # Terminating the killed leader's systems must not leave the cluster first (a crash, not a shutdown).
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        """;

    private static string Ms(double? ms) => ms is { } v ? v.ToString("F0", CultureInfo.InvariantCulture) : "none";

    private static string Stat(List<RoundResult> results, Func<RoundResult, double?> pick, double quantile)
    {
        var values = results.Select(pick).ToList();
        if (values.Any(v => v is null))
        {
            return quantile >= 1 ? "timeout" : Ms(values.Where(v => v is not null).Order().ElementAtOrDefault(values.Count / 2));
        }
        var sorted = values.Select(v => v!.Value).Order().ToArray();
        return Ms(quantile >= 1 ? sorted[^1] : sorted[sorted.Length / 2]);
    }
}
