using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Akka.Actor;
using Akka.Configuration;
using Google.Protobuf;
using GossipActors.Boundary;
using GossipActors.Channels;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Hosting;
using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Benchmarks.RealNetwork;

/// <summary>
/// Catch-up by state transfer over real Akka.Remote on loopback: 3 source peers (actor systems in this process) share
/// a SQLite ledger of N blocks written beforehand; a 4th peer with an empty ledger joins and fetches all of it. Reports
/// blocks/s and MB/s from the new peer's first commit to its last, and the same blocks written straight to a fresh
/// SQLite ledger (the storage floor) for reference.
/// <c>dotnet run -c Release --project src/GossipActors.Benchmarks -- catch-up --blocks 10000 --block-bytes 102400</c>
/// </summary>
internal static class CatchUpRun
{
    private const string Channel = "bench";

    public static async Task<int> Run(string[] args)
    {
        var blocks = IntArg(args, "--blocks", 10_000);
        var blockBytes = IntArg(args, "--block-bytes", 100 * 1024);
        var batchSize = IntArg(args, "--batch-size", 10);
        var window = IntArg(args, "--window", 200);
        var sources = IntArg(args, "--sources", 3);
        // Extra HOCON for every peer (e.g. an Akka.Remote transport setting under test), after the benchmark's own.
        var extraHocon = Array.IndexOf(args, "--hocon") is var h and >= 0 && h + 1 < args.Length ? args[h + 1] : "";
        var now = DateTimeOffset.UtcNow;
        using var org1 = CertificateAuthority.Create("Org1", now.AddDays(-1), now.AddDays(1));
        using var ordererCa = CertificateAuthority.Create("OrdererOrg", now.AddDays(-1), now.AddDays(1));
        using var orderer = NodeIdentity.Issue(ordererCa, "orderer0.ordererorg", NodeRole.Orderer, now.AddDays(-1), now.AddDays(1));
        var verifier = new CertificateVerifier([org1.Certificate, ordererCa.Certificate]);
        var root = Directory.CreateTempSubdirectory("gossip-catchup-").FullName;
        var nodes = new List<PeerNode>();
        try
        {
            var storage = WriteSourceLedger(Path.Combine(root, "sources"), blocks, blockBytes, batchSize, orderer);
            var megabytes = storage.Bytes / 1e6;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SQLite alone: {blocks} blocks of {blockBytes} B written in batches of {batchSize} in {storage.Took.TotalSeconds:F2} s: {blocks / storage.Took.TotalSeconds:F0} blocks/s, {megabytes / storage.Took.TotalSeconds:F0} MB/s"));
            if (args.Contains("--sqlite-only"))
            {
                return 0;
            }

            var ports = Enumerable.Range(0, sources + 1).Select(_ => FreeLoopbackPorts.Next()).ToArray();
            for (var i = 0; i < sources; i++)
            {
                nodes.Add(StartPeer(i, ports, Path.Combine(root, "sources"), batchSize, window, org1, verifier, extraHocon));
            }
            var ready = Stopwatch.StartNew();
            while (!(await Task.WhenAll(nodes.Select(Status))).All(s => s.Peers.Count == sources - 1 && s.Height == (ulong)blocks))
            {
                if (ready.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException("source peers did not converge within 2 minutes");
                }
                await Task.Delay(200);
            }

            var commits = new ConcurrentDictionary<(int Peer, ulong Number), long>();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuAtJoin = process.TotalProcessorTime;
            var memoryAtJoin = MemoryCounters.Now();
            var joinedAt = Stopwatch.GetTimestamp();
            var fresh = StartPeer(sources, ports, Path.Combine(root, "new"), batchSize, window, org1, verifier, extraHocon);
            nodes.Add(fresh);
            fresh.System.ActorOf(CommitRecorder.Props(sources, commits));
            var deadline = Stopwatch.StartNew();
            var progressAt = TimeSpan.Zero;
            while (commits.Count < blocks && deadline.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(100);
                if (args.Contains("--progress") && deadline.Elapsed - progressAt >= TimeSpan.FromSeconds(2))
                {
                    progressAt = deadline.Elapsed;
                    var now2 = await Status(fresh);
                    var st = now2.Counters.StateTransfer!;
                    process.Refresh();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {progressAt.TotalSeconds,6:F1} s: committed {commits.Count}, height {now2.Height}, requests {st.Requests}, received {st.BlocksReceived}, timeouts {st.Timeouts}, retries {st.Retries}, cpu {(process.TotalProcessorTime - cpuAtJoin).TotalSeconds:F1} s"));
                }
            }
            process.Refresh();
            var cpuAtEnd = process.TotalProcessorTime;
            var memory = MemoryCounters.Now() - memoryAtJoin;
            var status = await Status(fresh);
            if (commits.Count < blocks)
            {
                Console.WriteLine($"incomplete: the new peer committed {commits.Count} of {blocks} blocks in 10 minutes");
                return 1;
            }
            var first = commits.Values.Min();
            var last = commits.Values.Max();
            var seconds = Stopwatch.GetElapsedTime(first, last).TotalSeconds;
            var total = Stopwatch.GetElapsedTime(joinedAt, last).TotalSeconds;
            var transfer = status.Counters.StateTransfer!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"catch-up: {blocks} blocks of {blockBytes} B from {sources} peers: first to last commit {seconds:F2} s: {blocks / seconds:F0} blocks/s, {megabytes / seconds:F0} MB/s; from start of the new peer {total:F2} s"));
            var cpu = (cpuAtEnd - cpuAtJoin).TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  process CPU from the new peer's start to its last commit (all 4 peers, both sides): {cpu:F1} s, {cpu * 1e3 / blocks:F2} ms per block; first commit {Stopwatch.GetElapsedTime(joinedAt, first).TotalSeconds:F2} s after start; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  memory (same span): {memory.AllocatedBytes / 1e6 / blocks:F2} MB allocated per block, GCs gen0/gen1/gen2 {memory.Gen0}/{memory.Gen1}/{memory.Gen2}, {memory.MinorFaults / (double)blocks:F0} minor page faults per block; GC {(GCSettings.IsServerGC ? "server" : "workstation")}, concurrent {GCSettings.LatencyMode != GCLatencyMode.Batch}"));
            foreach (var (node, index) in nodes.Select((n, i) => (n, i)))
            {
                var comm = await node.System.ActorSelection("/user/peer/comm").Ask<GossipActors.Comm.CommStats>(new GossipActors.Comm.GetCommStats(), TimeSpan.FromSeconds(10));
                Console.WriteLine($"  comm of peer{index}: sent {comm.Sent}, received {comm.Received}, send-queue overflow {comm.QueueOverflowDrops}, rejected {string.Join(", ", comm.Rejections.Where(r => r.Value > 0).Select(r => $"{r.Key} {r.Value}"))}");
            }
            Console.WriteLine($"  state transfer: {transfer.Requests} requests, {transfer.Retries} retries, {transfer.Timeouts} timeouts, {transfer.BlocksReceived} blocks received; batchSize {batchSize}, window {window}");
            Console.WriteLine();
            Console.WriteLine("| blocks | block size | sources | catch-up blocks/s | catch-up MB/s | SQLite alone blocks/s | CPU ms/block |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {blocks} | {blockBytes} B | {sources} | {blocks / seconds:F0} | {megabytes / seconds:F0} | {blocks / storage.Took.TotalSeconds:F0} | {cpu * 1e3 / blocks:F2} |"));
            return 0;
        }
        finally
        {
            await Task.WhenAll(nodes.Select(n => n.DisposeAsync().AsTask()));
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Signs the chain and writes it to the sources' shared ledger, timing the writes alone.</summary>
    private static (TimeSpan Took, long Bytes) WriteSourceLedger(string directory, int blocks, int blockBytes, int batchSize, NodeIdentity orderer)
    {
        using var ledger = SqliteBlockLedger.Open(directory, Channel);
        var random = new Random(1);
        var previous = ByteString.Empty;
        var took = TimeSpan.Zero;
        long bytes = 0;
        var batch = new List<LedgerBlock>(batchSize);
        for (var number = 0UL; number < (ulong)blocks; number++)
        {
            var payload = new byte[blockBytes];
            random.NextBytes(payload);
            var block = LedgerBlock.From(BlockFactory.Create(Channel, number, previous, [UnsafeByteOperations.UnsafeWrap(payload)], orderer))!;
            previous = block.Hash;
            bytes += block.Bytes.Length;
            batch.Add(block);
            if (batch.Count == batchSize || number == (ulong)blocks - 1)
            {
                var started = Stopwatch.GetTimestamp();
                if (ledger.AppendBatch(batch) != batch.Count)
                {
                    throw new InvalidOperationException($"the source ledger refused a batch at {batch[0].Number}");
                }
                took += Stopwatch.GetElapsedTime(started);
                batch.Clear();
            }
        }
        return (took, bytes);
    }

    private static PeerNode StartPeer(int i, int[] ports, string ledgerDirectory, int batchSize, int window, CertificateAuthority org, CertificateVerifier verifier, string extraHocon)
    {
        var now = DateTimeOffset.UtcNow;
        var identity = NodeIdentity.Issue(org, $"peer{i}.org1", NodeRole.Peer, now.AddDays(-1), now.AddDays(1));
        return LoopbackNodes.StartPeer(Hocon(i, ports, ledgerDirectory, batchSize, window) + "\n" + extraHocon, identity, verifier);
    }

    private static Task<ChannelStatus> Status(PeerNode node) => LoopbackNodes.Status(node, Channel);

    private static string Hocon(int i, int[] ports, string ledgerDirectory, int batchSize, int window) => $$"""
        peer {
          id = "peer{{i}}.org1"
          localMspId = "Org1"
          address = "127.0.0.1:{{ports[i]}}"
          mspConfigPath = "in-memory"
          fileSystemPath = "{{ledgerDirectory}}"
          tls.enabled = false
          gossip {
            bootstrap = ["127.0.0.1:{{ports[0]}}"]
            aliveTimeInterval = 1s
            aliveExpirationTimeout = 5s
            reconnectInterval = 2s
            publishStateInfoInterval = 1s
            state {
              batchSize = {{batchSize}}
              blockBufferSize = {{window}}
            }
          }
          channels = [ { name = "{{Channel}}", orgs = ["Org1"], ordererOrg = "OrdererOrg" } ]
        }
        operations.listenAddress = ""
        akka.loglevel = WARNING
        """;

    private static int IntArg(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
