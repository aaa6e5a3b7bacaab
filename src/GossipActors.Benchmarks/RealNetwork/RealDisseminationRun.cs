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
/// (p50 and max over blocks) and full copies received per peer per block; before the blocks, the process's CPU and
/// comm's messages at rest; during them, comm's messages per peer per block and the CPU per thread group (the JIT's
/// tier-up thread and the stretch probe apart). The first <c>--warmup-blocks</c> (20) blocks are not measured: the
/// JIT compiles and tiers up the block path on them, as in a peer that has run for a while.
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
        var alives = new AliveCount();
        try
        {
            for (var i = 0; i < peers; i++)
            {
                var node = LoopbackNodes.StartPeer(Hocon(i, ports, mode, root), pki.Org1Peer($"peer{i}.org1"), pki.Verifier);
                node.System.ActorOf(CommitRecorder.Props(i, commits));
                node.System.ActorSelection("/user/peer/comm").Tell(new Comm.Subscribe(null), node.System.ActorOf(Props.Create(() => new AliveCounter(alives))));
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

            // The idle cost: the peers converged, no blocks yet (alive, state info, timers, Akka's own traffic).
            await Task.Delay(2000);
            var idleSeconds = BenchmarkArgs.Int(args, "--idle-seconds", 5);
            Window idle = null!;
            for (var w = 0; w < BenchmarkArgs.Int(args, "--idle-windows", 1); w++)
            {
                idle = await Measure(nodes, alives, () => Task.Delay(TimeSpan.FromSeconds(idleSeconds)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Idle ({idleSeconds} s, no blocks): process CPU {idle.CpuMs / peers / idleSeconds:F2} ms per peer per second; per peer per second, comm messages sent {idle.Comm.Sent / (double)peers / idleSeconds:F1}, received {idle.Comm.Received / (double)peers / idleSeconds:F1} (fresh alives {idle.Comm.Alives / (double)peers / idleSeconds:F1}, stale dropped {idle.Comm.Stale / (double)peers / idleSeconds:F1}); threads: {Top(idle.Threads, idle.CpuMs)}"));
            }

            // Warm-up blocks (not measured): the block path runs its first times, so the JIT compiles and tiers it up
            // before the measurement, as in a peer that has been running for a while.
            var warmupBlocks = BenchmarkArgs.Int(args, "--warmup-blocks", 20);
            var total = warmupBlocks + blocks;
            var injected = new long[total];
            var previous = ByteString.Empty;
            var random = new Random(1);
            async Task Inject(ulong number)
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
            for (var number = 0UL; number < (ulong)warmupBlocks; number++)
            {
                await Inject(number);
            }
            var warm = Stopwatch.StartNew();
            while (commits.Count < peers * warmupBlocks && warm.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
            if (warmupBlocks > 0)
            {
                Console.WriteLine($"{warmupBlocks} warm-up blocks (not measured) committed by {commits.Count}/{peers * warmupBlocks} (peer, block) pairs");
            }
            var countersAtStart = await Task.WhenAll(nodes.Skip(1).Select(Status));

            var loadAtStart = WireCosts.CpuStretchProbe.LoadAverage();
            var commAtStart = await Totals(nodes, alives);
            var threadsAtStart = WireCosts.ThreadCpuBreakdown.Snapshot();
            using var probe = new WireCosts.CpuStretchProbe();
            using var process = Process.GetCurrentProcess();
            var cpuAtStart = process.TotalProcessorTime;
            var wallAtStart = Stopwatch.StartNew();
            for (var number = (ulong)warmupBlocks; number < (ulong)total; number++)
            {
                await Inject(number);
            }
            var drain = Stopwatch.StartNew();
            while (commits.Count < peers * total && drain.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }

            var lastPeer = Enumerable.Range(warmupBlocks, blocks).Select(b => Enumerable.Range(1, peers - 1)
                .Select(p => commits.TryGetValue((p, (ulong)b), out var at) ? Stopwatch.GetElapsedTime(injected[b], at).TotalMilliseconds : double.PositiveInfinity)
                .Max()).Order().ToArray();
            process.Refresh();
            var cpuMs = (process.TotalProcessorTime - cpuAtStart).TotalMilliseconds;
            var threads = WireCosts.ThreadCpuBreakdown.Between(threadsAtStart, WireCosts.ThreadCpuBreakdown.Snapshot());
            var comm = await Totals(nodes, alives) - commAtStart;
            var sentPerPeerPerBlock = comm.Sent / (double)peers / blocks;
            var wallMs = wallAtStart.Elapsed.TotalMilliseconds;
            var stretch = probe.Median;
            var samples = probe.Samples;
            var statuses = await Task.WhenAll(nodes.Skip(1).Select(Status));
            var copies = (statuses.Sum(s => (double)s.Counters.FullCopiesReceived) - countersAtStart.Sum(s => (double)s.Counters.FullCopiesReceived)) / ((peers - 1) * blocks);
            var digests = (statuses.Sum(s => (double)s.Counters.DigestsReceived) - countersAtStart.Sum(s => (double)s.Counters.DigestsReceived)) / ((peers - 1) * blocks);
            Console.WriteLine();
            Console.WriteLine("| mode | peers | blocks | injection → last peer p50 (ms) | max (ms) | full copies per peer per block | digests per peer per block | delivered |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | {peers} | {blocks} | {lastPeer[blocks / 2]:F1} | {lastPeer[^1]:F1} | {copies:F2} | {digests:F2} | {commits.Count - peers * warmupBlocks}/{peers * blocks} |"));
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Machine during the blocks: /proc/loadavg {loadAtStart} -> {WireCosts.CpuStretchProbe.LoadAverage()}; CPU stretch (wall / thread CPU of a CPU-bound step, median of {samples}) {stretch:F1}: simulator option --cpu-stretch {stretch:F1}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Process CPU from the first block to the last commit: {cpuMs / 1000:F1} s in {wallMs / 1000:F1} s of wall ({cpuMs / wallMs:F2} cores), {cpuMs / peers / blocks:F2} ms per peer per block (the probe thread included: about 30 ms per second)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Comm messages per peer per block (every kind: data, digests, pull, state info, alive, acks): sent {sentPerPeerPerBlock:F1}, received {comm.Received / (double)peers / blocks:F1} (fresh alives {comm.Alives / (double)peers / blocks:F1}, stale dropped {comm.Stale / (double)peers / blocks:F1}); sent at rest (idle) {idle.Comm.Sent / (double)peers / idleSeconds * intervalMs / 1000:F1}"));
            var jitAndProbe = threads.Where(t => t.Group.StartsWith(".NET Tiered", StringComparison.Ordinal) || t.Group.StartsWith("cpu-stretch", StringComparison.Ordinal)).Sum(t => t.CpuMs);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Process CPU without the JIT's tier-up thread and the probe: {(cpuMs - jitAndProbe) / peers / blocks:F2} ms per peer per block; at rest, without the JIT, {(idle.CpuMs - idle.Threads.Where(t => t.Group.StartsWith(".NET Tiered", StringComparison.Ordinal)).Sum(t => t.CpuMs)) / peers / idleSeconds * intervalMs / 1000:F2} per peer per block interval"));
            Console.WriteLine($"Threads during the blocks: {Top(threads, cpuMs)}");
            return commits.Count == peers * total ? 0 : 1;
        }
        finally
        {
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record Window(double CpuMs, CommTotals Comm, IReadOnlyList<(string Group, int Threads, double CpuMs)> Threads);

    /// <summary>Comm's envelopes over all peers: sent, received, fresh alive messages taken by membership, stale
    /// statements dropped.</summary>
    private sealed record CommTotals(long Sent, long Received, long Alives, long Stale)
    {
        public static CommTotals operator -(CommTotals a, CommTotals b) =>
            new(a.Sent - b.Sent, a.Received - b.Received, a.Alives - b.Alives, a.Stale - b.Stale);
    }

    private sealed class AliveCount
    {
        public long Value;
    }

    /// <summary>Subscribed to comm beside membership: counts the fresh alive messages comm hands to membership.</summary>
    private sealed class AliveCounter : ReceiveActor
    {
        public AliveCounter(AliveCount count) =>
            Receive<Comm.Inbound>(m => Interlocked.Add(ref count.Value, m.Message.ContentCase == Protocol.Wire.GossipMessage.ContentOneofCase.AliveMsg ? 1 : 0));
    }

    /// <summary>Process CPU, comm's counts and the threads' CPU over <paramref name="span"/>.</summary>
    private static async Task<Window> Measure(List<PeerNode> nodes, AliveCount alives, Func<Task> span)
    {
        using var process = Process.GetCurrentProcess();
        var comm = await Totals(nodes, alives);
        var threads = WireCosts.ThreadCpuBreakdown.Snapshot();
        var cpu = process.TotalProcessorTime;
        await span();
        process.Refresh();
        var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds;
        return new Window(cpuMs, await Totals(nodes, alives) - comm, WireCosts.ThreadCpuBreakdown.Between(threads, WireCosts.ThreadCpuBreakdown.Snapshot()));
    }

    private static async Task<CommTotals> Totals(List<PeerNode> nodes, AliveCount alives)
    {
        var stats = await Task.WhenAll(nodes.Select(n => n.Peer.Ask<Comm.CommStats>(Comm.GetCommStats.Instance, TimeSpan.FromSeconds(10))));
        return new CommTotals(stats.Sum(s => s.Sent), stats.Sum(s => s.Received), Interlocked.Read(ref alives.Value), stats.Sum(s => s.StaleDropped));
    }

    private static string Top(IReadOnlyList<(string Group, int Threads, double CpuMs)> threads, double totalMs) =>
        string.Join(", ", threads.Where(t => t.CpuMs > 0).Take(12).Select(t => string.Create(CultureInfo.InvariantCulture,
            $"{t.Group} x{t.Threads} {100 * t.CpuMs / Math.Max(1, totalMs):F0} %")));

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
