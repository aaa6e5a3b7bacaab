using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Google.Protobuf;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Benchmarks.WireCosts;

/// <summary>
/// What the machine adds to the per-message CPU costs of <see cref="WireCostsRun"/> as it is now (other processes
/// loading it), the costs the simulator's load model takes as parameters:
/// <list type="bullet">
/// <item>CPU stretch: wall time over thread CPU time of a CPU-bound step (Ed25519 verify) on one thread. On a machine
/// whose load average L exceeds its C cores, a runnable thread gets about C/L of a core.</item>
/// <item>A gossip hop as a peer makes it: channel actor → comm actor (local) → Akka.Remote → comm → channel, and back
/// (ping-pong); one-way latency p10/p50/p90 and mean: wake-ups of actor threads under load, not CPU.</item>
/// <item>A local actor hand-off (the channel actor to its ledger actor and back): one-way latency.</item>
/// <item>SQLite, as the ledger actor writes (WAL + synchronous=NORMAL, one transaction per batch): batches of one block
/// and of ten (4 KB), thread CPU per batch, so a fixed part per batch and a part per KiB; reads of ten blocks to serve.</item>
/// </list>
/// <c>dotnet run -c Release --project src/GossipActors.Benchmarks -- load-costs [--block-bytes 4096]</c>
/// </summary>
internal static class LoadCostsRun
{
    public static async Task<int> Run(string[] args)
    {
        var blockBytes = BenchmarkArgs.Int(args, "--block-bytes", 4096);
        var c = CultureInfo.InvariantCulture;
        var loadBefore = CpuStretchProbe.LoadAverage();
        var stretch = CpuStretch();
        var (hop, handoff) = await HopLatencies(trips: 1_000);
        var storage = Storage(blockBytes, batches: 300);
        var (digest, data) = Envelopes(blockBytes);
        var sparseDigest = await SparseMessageCosts.Measure(digest, pairs: 4, TimeSpan.FromMilliseconds(8), TimeSpan.FromSeconds(4), burst: 5_000);
        var sparseData = await SparseMessageCosts.Measure(data, pairs: 4, TimeSpan.FromMilliseconds(8), TimeSpan.FromSeconds(4), burst: 2_000);
        var loadAfter = CpuStretchProbe.LoadAverage();
        Console.WriteLine($"Environment: {Environment.ProcessorCount} cores, .NET {Environment.Version}; /proc/loadavg before: {loadBefore}, after: {loadAfter}");
        Console.WriteLine();
        Console.WriteLine("| cost under the current load | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(c, $"| CPU stretch (wall / thread CPU of Ed25519 verifies on one thread), median of 15 rounds | {stretch:F2} |"));
        Console.WriteLine(string.Create(c, $"| gossip hop one-way (channel → comm → Akka.Remote → comm → channel) | p10 {hop.P10:F3} / p50 {hop.P50:F3} / p90 {hop.P90:F3} / mean {hop.Mean:F3} ms |"));
        Console.WriteLine(string.Create(c, $"| local actor hand-off one-way | p10 {handoff.P10:F3} / p50 {handoff.P50:F3} / p90 {handoff.P90:F3} / mean {handoff.Mean:F3} ms |"));
        Console.WriteLine(string.Create(c, $"| SQLite batch of 1 block ({blockBytes} B), one transaction | wall p50 {storage.SingleWallP50Us:F0} / mean {storage.SingleWallMeanUs:F0} µs, thread CPU {storage.SingleCpuUs:F0} µs |"));
        Console.WriteLine(string.Create(c, $"| SQLite batch of 10 blocks, one transaction / read of 10 blocks to serve them | thread CPU {storage.TenCpuUs:F0} / {storage.ReadTenCpuUs:F0} µs |"));
        foreach (var sparse in new[] { sparseDigest, sparseData })
        {
            Console.WriteLine(string.Create(c, $"| remote message of {sparse.EnvelopeBytes} B, whole-process CPU (sender + receiver): sparse (one every 2 ms over 4 pairs, {sparse.Messages} msgs) / burst / wake-ups | {sparse.SparseUs:F0} / {sparse.BurstUs:F0} / {sparse.WakeUpUs:F0} µs |"));
        }
        Console.WriteLine(string.Create(c, $"| idle actor system (remote, associated), process CPU | {sparseDigest.IdleUsPerSystemPerSecond / 1000:F2} ms per second |"));
        Console.WriteLine();
        // The wake-ups as a line through the two sizes, as wire-costs fits Akka's burst cost.
        var wakePerKiB = Math.Max(0, (sparseData.WakeUpUs - sparseDigest.WakeUpUs) / ((sparseData.EnvelopeBytes - sparseDigest.EnvelopeBytes) / 1024.0));
        var wakeFixed = Math.Max(0, sparseDigest.WakeUpUs - wakePerKiB * sparseDigest.EnvelopeBytes / 1024.0);
        Console.WriteLine("Simulator options (the hop's p10 as the base latency, the rest of its mean as exponential jitter):");
        var jitter = Math.Max(0, hop.Mean - hop.P10);
        Console.WriteLine(string.Create(c,
            $"  --cpu-stretch {stretch:F1} --latency {hop.P10 * 1000:F0}us --jitter {jitter * 1000:F0}us --store-us-per-batch {storage.PerBatchUs(blockBytes):F0} --store-us-per-kib {storage.PerKiBUs(blockBytes):F1} --read-us-per-kib {storage.ReadTenCpuUs / 10 / (blockBytes / 1024.0):F1} --wake-up-us {wakeFixed:F0} --wake-up-us-per-kib {wakePerKiB:F1} --idle-us-per-s {sparseDigest.IdleUsPerSystemPerSecond:F0}"));
        return 0;
    }

    /// <summary>A digest (control, session MAC only) and a data message carrying one block, as comm sends them.</summary>
    private static (SignedEnvelope Digest, SignedEnvelope Data) Envelopes(int blockBytes)
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("OrdererOrg", now.AddDays(-1), now.AddDays(1));
        using var orderer = NodeIdentity.Issue(ca, "orderer0", NodeRole.Orderer, now.AddDays(-1), now.AddDays(1));
        var block = BlockFactory.Create("bench", 7, ByteString.CopyFrom(new byte[32]), [ByteString.CopyFrom(new byte[blockBytes])], orderer);
        var digest = EnvelopeCodec.Unsigned(new GossipMessage { Channel = "bench", DataDigest = new DataDigest { SeqNum = 1234, DigestTtl = 3 } });
        var data = EnvelopeCodec.Unsigned(new GossipMessage { Channel = "bench", DataMsg = new DataMessage { SeqNum = 7, Block = block.ToByteString() } });
        return (digest, data);
    }

    private sealed record Latency(double P10, double P50, double P90, double Mean);

    /// <summary>Wall over thread CPU of a CPU-bound step, median of rounds of ~100 ms.</summary>
    private static double CpuStretch()
    {
        if (!ThreadCpuClock.IsAvailable)
        {
            return 1;
        }
        using var key = SigningKey.Generate();
        var envelope = EnvelopeCodec.Sign(new GossipMessage { Channel = "bench", DataDigest = new DataDigest { SeqNum = 1 } }, key);
        var ratios = new List<double>();
        for (var round = 0; round < 15; round++)
        {
            var cpu = ThreadCpuClock.NowUs();
            var watch = Stopwatch.StartNew();
            for (var k = 0; k < 1_000; k++)
            {
                if (!EnvelopeCodec.VerifySignature(envelope, key.PublicKey))
                {
                    throw new InvalidOperationException("verify failed");
                }
            }
            ratios.Add(watch.Elapsed.TotalMicroseconds / (ThreadCpuClock.NowUs() - cpu));
        }
        return ratios.Order().ElementAt(ratios.Count / 2);
    }

    /// <summary>Forwards everything to <paramref name="next"/> (a comm actor in front of a channel actor).</summary>
    private sealed class Relay(IActorRef next) : ReceiveActor
    {
        protected override void PreStart() => Become(() => ReceiveAny(m => next.Forward(m)));
    }

    /// <summary>Answers each message to its sender (a channel actor on the far side, or a ledger actor).</summary>
    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m, Self));
    }

    private static async Task<(Latency Hop, Latency Handoff)> HopLatencies(int trips)
    {
        var a = ActorSystem.Create("gossip", LoopbackNodes.RemoteSystemConfig());
        var b = ActorSystem.Create("gossip", LoopbackNodes.RemoteSystemConfig());
        try
        {
            using var key = SigningKey.Generate();
            var digest = EnvelopeCodec.Unsigned(new GossipMessage { Channel = "bench", DataDigest = new DataDigest { SeqNum = 1234, DigestTtl = 3 } });
            var address = ((ExtendedActorSystem)b).Provider.DefaultAddress;
            var farChannel = b.ActorOf(Props.Create(() => new Echo()), "channel");
            b.ActorOf(Props.Create(() => new Relay(farChannel)), "comm");
            var farComm = await a.ActorSelection(new RootActorPath(address) / "user" / "comm").ResolveOne(TimeSpan.FromSeconds(10));
            var nearComm = a.ActorOf(Props.Create(() => new Relay(farComm)), "comm");
            var hop = await PingPong(a, nearComm, digest, trips);
            var ledger = a.ActorOf(Props.Create(() => new Echo()), "ledger");
            var handoff = await PingPong(a, ledger, digest, trips);
            return (hop, handoff);
        }
        finally
        {
            await Task.WhenAll(a.Terminate(), b.Terminate());
        }
    }

    private static async Task<Latency> PingPong(ActorSystem system, IActorRef target, object message, int trips)
    {
        var oneWay = new List<double>(trips);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new Pinger(target, message, trips, oneWay, done)));
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var sorted = oneWay.Skip(trips / 10).Order().ToArray(); // the first tenth warms up
        return new Latency(sorted[sorted.Length / 10], sorted[sorted.Length / 2], sorted[sorted.Length * 9 / 10], sorted.Average());
    }

    private sealed record StorageFigures(double SingleWallP50Us, double SingleWallMeanUs, double SingleCpuUs, double TenCpuUs, double ReadTenCpuUs)
    {
        /// <summary>Per block per KiB, from the difference between a batch of ten and a batch of one.</summary>
        public double PerKiBUs(int blockBytes) => Math.Max(0, (TenCpuUs - SingleCpuUs) / 9 / (blockBytes / 1024.0));

        public double PerBatchUs(int blockBytes) => Math.Max(0, SingleCpuUs - PerKiBUs(blockBytes) * blockBytes / 1024.0);
    }

    /// <summary>Thread CPU (and wall) of ledger writes: batches of one block, then of ten; then reads of ten to serve.</summary>
    private static StorageFigures Storage(int blockBytes, int batches)
    {
        var directory = Directory.CreateTempSubdirectory("gossip-load-costs-").FullName;
        try
        {
            var now = DateTimeOffset.UtcNow;
            using var ca = CertificateAuthority.Create("OrdererOrg", now.AddDays(-1), now.AddDays(1));
            using var orderer = NodeIdentity.Issue(ca, "orderer0", NodeRole.Orderer, now.AddDays(-1), now.AddDays(1));
            var random = new Random(1);
            var count = batches * 11;
            var blocks = new List<LedgerBlock>(count);
            var previous = ByteString.Empty;
            for (var n = 0UL; n < (ulong)count; n++)
            {
                var payload = new byte[blockBytes];
                random.NextBytes(payload);
                var block = BlockFactory.Create("bench", n, previous, [ByteString.CopyFrom(payload)], orderer);
                previous = BlockHashes.HeaderHash(block);
                blocks.Add(LedgerBlock.From(block)!);
            }
            using var ledger = SqliteBlockLedger.Open(directory, "bench");
            var walls = new List<double>(batches);
            var cpuStart = CpuUs();
            for (var k = 0; k < batches; k++)
            {
                var watch = Stopwatch.StartNew();
                Append(ledger, blocks.GetRange(k, 1));
                walls.Add(watch.Elapsed.TotalMicroseconds);
            }
            var single = (CpuUs() - cpuStart) / batches;
            cpuStart = CpuUs();
            for (var k = 0; k < batches; k++)
            {
                Append(ledger, blocks.GetRange(batches + k * 10, 10));
            }
            var ten = (CpuUs() - cpuStart) / batches;
            cpuStart = CpuUs();
            for (var k = 0; k < batches; k++)
            {
                if (ledger.ReadRange((ulong)(k * 10), (ulong)(k * 10 + 9), long.MaxValue).Count != 10)
                {
                    throw new InvalidOperationException("read failed");
                }
            }
            var read = (CpuUs() - cpuStart) / batches;
            return new StorageFigures(walls.Order().ElementAt(walls.Count / 2), walls.Average(), single, ten, read);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Append(SqliteBlockLedger ledger, List<LedgerBlock> batch)
    {
        if (ledger.AppendBatch(batch) != batch.Count)
        {
            throw new InvalidOperationException("append failed");
        }
    }

    private static double CpuUs() => ThreadCpuClock.IsAvailable ? ThreadCpuClock.NowUs() : Stopwatch.GetTimestamp() * 1e6 / Stopwatch.Frequency;
}
