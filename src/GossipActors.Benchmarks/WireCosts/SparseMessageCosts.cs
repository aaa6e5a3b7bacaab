using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Protocol.Wire;

namespace GossipActors.Benchmarks.WireCosts;

/// <summary>
/// The whole process's CPU per remote gossip message as a gossip network sends them: one at a time, milliseconds
/// apart, so every message finds the threads it needs asleep (the dispatcher's thread-pool workers, the DotNetty event
/// loops of both systems) and pays for waking them (and for their spinning before they sleep again). A burst, as
/// <c>wire-costs</c> measures Akka.Remote, amortises those wake-ups over many messages; sparse traffic does not.
/// Pairs of actor systems on loopback, each message channel → comm → Akka.Remote → comm → channel (trivial actors: the
/// work of the real comm and channel actors, MAC, decode, verify, is charged apart by the simulator). Measured with
/// <see cref="Process.TotalProcessorTime"/>: the same systems idle for as long are subtracted, and so are the pacing
/// thread's own CPU and the JIT's tier-up thread (a cost of a young process, not of a message).
/// </summary>
internal static class SparseMessageCosts
{
    /// <param name="SparseUs">Process CPU per message of the paced stream (sender + receiver), idle subtracted.</param>
    /// <param name="BurstUs">Process CPU per message of a burst through the same systems.</param>
    /// <param name="IdleUsPerSystemPerSecond">Process CPU of an idle actor system (timers, event loops) per second.</param>
    public sealed record Figures(int EnvelopeBytes, double SparseUs, double BurstUs, int Messages, double IdleUsPerSystemPerSecond)
    {
        /// <summary>What sparse traffic costs per message beyond a burst: the wake-ups.</summary>
        public double WakeUpUs => Math.Max(0, SparseUs - BurstUs);
    }

    private sealed class Relay(IActorRef next) : ReceiveActor
    {
        protected override void PreStart() => Become(() => ReceiveAny(m => next.Forward(m)));
    }

    private sealed class Sink(Counter counter) : ReceiveActor
    {
        protected override void PreStart() => Become(() => ReceiveAny(_ => Interlocked.Increment(ref counter.Value)));
    }

    private sealed class Counter
    {
        public long Value;
    }

    /// <summary>
    /// <paramref name="pairs"/> pairs of systems; one message every <paramref name="spacing"/> / pairs, round-robin over
    /// the pairs, for <paramref name="span"/>; the same span idle before; then a burst of <paramref name="burst"/> messages.
    /// </summary>
    public static async Task<Figures> Measure(SignedEnvelope envelope, int pairs, TimeSpan spacing, TimeSpan span, int burst)
    {
        var systems = new List<ActorSystem>();
        try
        {
            var counter = new Counter();
            var nears = new List<IActorRef>();
            for (var p = 0; p < pairs; p++)
            {
                var a = ActorSystem.Create("gossip", SystemConfig());
                var b = ActorSystem.Create("gossip", SystemConfig());
                systems.Add(a);
                systems.Add(b);
                var far = b.ActorOf(Props.Create(() => new Sink(counter)), "channel");
                b.ActorOf(Props.Create(() => new Relay(far)), "comm");
                var address = ((ExtendedActorSystem)b).Provider.DefaultAddress;
                var farComm = await a.ActorSelection(new RootActorPath(address) / "user" / "comm").ResolveOne(TimeSpan.FromSeconds(10));
                nears.Add(a.ActorOf(Props.Create(() => new Relay(farComm)), "comm"));
            }
            // Warm up: every link associated, the code jitted and tiered up.
            await Paced(nears, envelope, counter, spacing, TimeSpan.FromSeconds(2));
            await Burst(nears, envelope, counter, burst);
            await Task.Delay(500);

            using var process = Process.GetCurrentProcess();
            var idleThreads = ThreadCpuBreakdown.Snapshot();
            var idleCpu = process.TotalProcessorTime;
            var idleWatch = Stopwatch.StartNew();
            await Task.Delay(span);
            process.Refresh();
            var idleJitUs = ThreadCpuBreakdown.JitMs(idleThreads, ThreadCpuBreakdown.Snapshot()) * 1000;
            var idleUsPerSecond = ((process.TotalProcessorTime - idleCpu).TotalMicroseconds - idleJitUs) / idleWatch.Elapsed.TotalSeconds;

            var (messages, pacedUs, pacedSeconds) = await Paced(nears, envelope, counter, spacing, span);
            var sparseUs = Math.Max(0, pacedUs - idleUsPerSecond * pacedSeconds) / messages;
            var burstUs = await Burst(nears, envelope, counter, burst);
            return new Figures(envelope.CalculateSize(), sparseUs, burstUs, messages, idleUsPerSecond / systems.Count);
        }
        finally
        {
            await Task.WhenAll(systems.Select(s => s.Terminate()));
        }
    }

    /// <summary>Sends one message per tick from a dedicated thread; returns messages, process CPU minus the pacing
    /// thread's (µs) and the wall seconds until the last arrived.</summary>
    private static async Task<(int Messages, double CpuUs, double Seconds)> Paced(
        List<IActorRef> nears, SignedEnvelope envelope, Counter counter, TimeSpan spacing, TimeSpan span)
    {
        using var process = Process.GetCurrentProcess();
        var start = Interlocked.Read(ref counter.Value);
        var threads = ThreadCpuBreakdown.Snapshot();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var sent = 0;
        double pacerCpuUs = 0;
        var tick = spacing / nears.Count;
        var pacer = new Thread(() =>
        {
            var cpuAtStart = ThreadCpuClock.IsAvailable ? ThreadCpuClock.NowUs() : 0;
            var next = Stopwatch.GetTimestamp();
            while (watch.Elapsed < span)
            {
                nears[sent % nears.Count].Tell(envelope, ActorRefs.NoSender);
                sent++;
                next += (long)(tick.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                }
            }
            pacerCpuUs = ThreadCpuClock.IsAvailable ? ThreadCpuClock.NowUs() - cpuAtStart : 0;
        }) { IsBackground = true, Name = "sparse-pacer" };
        pacer.Start();
        await Task.Run(pacer.Join);
        await Arrived(counter, start + sent);
        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        var jitUs = ThreadCpuBreakdown.JitMs(threads, ThreadCpuBreakdown.Snapshot()) * 1000;
        return (sent, (process.TotalProcessorTime - cpu).TotalMicroseconds - pacerCpuUs - jitUs, seconds);
    }

    /// <summary>Process CPU per message of <paramref name="messages"/> sent at once, spread over the pairs.</summary>
    private static async Task<double> Burst(List<IActorRef> nears, SignedEnvelope envelope, Counter counter, int messages)
    {
        using var process = Process.GetCurrentProcess();
        var start = Interlocked.Read(ref counter.Value);
        var cpu = process.TotalProcessorTime;
        for (var i = 0; i < messages; i++)
        {
            nears[i % nears.Count].Tell(envelope, ActorRefs.NoSender);
        }
        await Arrived(counter, start + messages);
        process.Refresh();
        return (process.TotalProcessorTime - cpu).TotalMicroseconds / messages;
    }

    private static async Task Arrived(Counter counter, long expected)
    {
        var watch = Stopwatch.StartNew();
        while (Interlocked.Read(ref counter.Value) < expected)
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"{expected - Interlocked.Read(ref counter.Value)} messages did not arrive within 2 minutes");
            }
            await Task.Delay(5);
        }
    }

    private static Config SystemConfig() => ReferenceConfig.WithFallback(ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        akka.loglevel = WARNING
        """));
}
