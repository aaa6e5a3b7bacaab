using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Google.Protobuf;
using GossipActors.Channels;
using GossipActors.Hosting;
using GossipActors.Protocol;

namespace GossipActors.Benchmarks.RealNetwork;

/// <summary>
/// Block dissemination over real Akka.Remote on loopback: N peers, each its own actor system with a SQLite ledger,
/// in one process. Blocks are injected at peer 0 (as its leader would after pulling them from the orderer); each
/// peer's commit time comes from <see cref="BlockCommitted"/>. Reports time from injection to the last peer
/// (p50 and max over blocks) and full copies received per peer per block.
/// <c>dotnet run -c Release --project src/GossipActors.Benchmarks -- real-dissemination --peers 12 --blocks 30 --mode enhanced</c>
/// </summary>
internal static class RealDisseminationRun
{
    private const string Channel = "bench";

    public static async Task<int> Run(string[] args)
    {
        var peers = BenchmarkArgs.Int(args, "--peers", 12);
        var blocks = BenchmarkArgs.Int(args, "--blocks", 30);
        var intervalMs = BenchmarkArgs.Int(args, "--interval-ms", 250);
        var blockBytes = BenchmarkArgs.Int(args, "--block-bytes", 4096);
        var mode = BenchmarkArgs.Text(args, "--mode", "enhanced");
        using var pki = new BenchmarkPki();
        var root = Directory.CreateTempSubdirectory("gossip-bench-").FullName;
        var ports = Enumerable.Range(0, peers).Select(_ => LoopbackNodes.FreePort()).ToArray();
        var commits = new ConcurrentDictionary<(int Peer, ulong Number), long>();
        var nodes = new List<PeerNode>();
        try
        {
            for (var i = 0; i < peers; i++)
            {
                var node = LoopbackNodes.StartPeer(Hocon(i, ports, mode, root), pki.Org1Peer($"peer{i}.org1"), pki.Verifier);
                node.System.ActorOf(CommitRecorder.Props(i, commits));
                nodes.Add(node);
            }
            var ready = Stopwatch.StartNew();
            while (!(await Task.WhenAll(nodes.Select(Status))).All(s => s.Peers.Count == peers - 1))
            {
                if (ready.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException("channel views did not converge within 2 minutes");
                }
                await Task.Delay(200);
            }
            Console.WriteLine($"{peers} peers converged in {ready.Elapsed.TotalSeconds:F1} s; injecting {blocks} blocks of {blockBytes} B every {intervalMs} ms at peer 0 ({mode})");

            var loadAtStart = WireCosts.CpuStretchProbe.LoadAverage();
            using var probe = new WireCosts.CpuStretchProbe();
            using var process = Process.GetCurrentProcess();
            var cpuAtStart = process.TotalProcessorTime;
            var wallAtStart = Stopwatch.StartNew();
            var injected = new long[blocks];
            var previous = ByteString.Empty;
            var random = new Random(1);
            for (var number = 0UL; number < (ulong)blocks; number++)
            {
                var payload = new byte[blockBytes];
                random.NextBytes(payload);
                var block = BlockFactory.Create(Channel, number, previous, [ByteString.CopyFrom(payload)], pki.Orderer);
                previous = BlockHashes.HeaderHash(block);
                injected[number] = Stopwatch.GetTimestamp();
                var result = await nodes[0].Peer.Ask<InjectBlockResult>(new InjectBlock(Channel, block), TimeSpan.FromSeconds(10));
                if (!result.Accepted)
                {
                    throw new InvalidOperationException($"block {number} refused: {result.Detail}");
                }
                await Task.Delay(intervalMs);
            }
            var drain = Stopwatch.StartNew();
            while (commits.Count < peers * blocks && drain.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }

            var lastPeer = Enumerable.Range(0, blocks).Select(b => Enumerable.Range(1, peers - 1)
                .Select(p => commits.TryGetValue((p, (ulong)b), out var at) ? Stopwatch.GetElapsedTime(injected[b], at).TotalMilliseconds : double.PositiveInfinity)
                .Max()).Order().ToArray();
            process.Refresh();
            var cpuMs = (process.TotalProcessorTime - cpuAtStart).TotalMilliseconds;
            var wallMs = wallAtStart.Elapsed.TotalMilliseconds;
            var stretch = probe.Median;
            var samples = probe.Samples;
            var statuses = await Task.WhenAll(nodes.Skip(1).Select(Status));
            var copies = statuses.Sum(s => (double)s.Counters.FullCopiesReceived) / ((peers - 1) * blocks);
            var digests = statuses.Sum(s => (double)s.Counters.DigestsReceived) / ((peers - 1) * blocks);
            Console.WriteLine();
            Console.WriteLine("| mode | peers | blocks | injection → last peer p50 (ms) | max (ms) | full copies per peer per block | digests per peer per block | delivered |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | {peers} | {blocks} | {lastPeer[blocks / 2]:F1} | {lastPeer[^1]:F1} | {copies:F2} | {digests:F2} | {commits.Count}/{peers * blocks} |"));
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Machine during the blocks: /proc/loadavg {loadAtStart} -> {WireCosts.CpuStretchProbe.LoadAverage()}; CPU stretch (wall / thread CPU of a CPU-bound step, median of {samples}) {stretch:F1}: simulator option --cpu-stretch {stretch:F1}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Process CPU from the first block to the last commit: {cpuMs / 1000:F1} s in {wallMs / 1000:F1} s of wall ({cpuMs / wallMs:F2} cores), {cpuMs / peers / blocks:F2} ms per peer per block (the probe thread included: about 30 ms per second)"));
            return commits.Count == peers * blocks ? 0 : 1;
        }
        finally
        {
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
            Directory.Delete(root, recursive: true);
        }
    }

    private static Task<ChannelStatus> Status(PeerNode node) => LoopbackNodes.Status(node, Channel);

    private static string Hocon(int i, int[] ports, string mode, string root) => $$"""
        peer {
          id = "peer{{i}}.org1"
          localMspId = "Org1"
          address = "127.0.0.1:{{ports[i]}}"
          mspConfigPath = "in-memory"
          fileSystemPath = "{{Path.Combine(root, "peer" + i)}}"
          # Identities are made in memory; so would TLS certificates have to be. Plain TCP for this measurement.
          tls.enabled = false
          operations.listenAddress = ""
          gossip {
            bootstrap = ["127.0.0.1:{{ports[0]}}"]
            aliveTimeInterval = 1s
            aliveExpirationTimeout = 5s
            reconnectInterval = 2s
            publishStateInfoInterval = 1s
            dissemination.mode = {{mode}}
            # As in the simulator: a store of 100 lets pull fill what push missed (no state transfer yet).
            maxBlockCountToStore = 100
          }
          channels = [ { name = "{{Channel}}", orgs = ["Org1"], ordererOrg = "OrdererOrg" } ]
        }
        akka.loglevel = WARNING
        """;
}
