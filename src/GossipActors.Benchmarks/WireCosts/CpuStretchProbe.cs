using System.Diagnostics;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Benchmarks.WireCosts;

/// <summary>
/// The machine's load as sustained CPU-bound work sees it while something else runs: a background thread that, every
/// second, times 500 Ed25519 verifies (about 30 ms of CPU) in wall time and in its own CPU time (Linux thread CPU
/// clock); the ratio is how much longer than on a quiet core the work takes now. Short bursts are not enough: a thread
/// that wakes from sleep is scheduled at once and runs a few ms unpreempted (a 20-verify burst measured 1.0 at load
/// 150). Costs about 3 % of one core. The simulator takes the median as <c>--cpu-stretch</c>.
/// </summary>
internal sealed class CpuStretchProbe : IDisposable
{
    private readonly List<double> _ratios = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public CpuStretchProbe()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "cpu-stretch-probe" };
        _thread.Start();
    }

    /// <summary>Median wall / CPU ratio so far (1 when the thread CPU clock is not available).</summary>
    public double Median
    {
        get
        {
            lock (_ratios)
            {
                return _ratios.Count == 0 ? 1 : _ratios.Order().ElementAt(_ratios.Count / 2);
            }
        }
    }

    public int Samples
    {
        get
        {
            lock (_ratios)
            {
                return _ratios.Count;
            }
        }
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    private void Loop()
    {
        if (!ThreadCpuClock.IsAvailable)
        {
            return;
        }
        using var key = SigningKey.Generate();
        var envelope = EnvelopeCodec.Sign(new GossipMessage { Channel = "probe", DataDigest = new DataDigest { SeqNum = 1 } }, key);
        while (!_stop.IsCancellationRequested)
        {
            var cpu = ThreadCpuClock.NowUs();
            var watch = Stopwatch.StartNew();
            for (var k = 0; k < 500; k++)
            {
                EnvelopeCodec.VerifySignature(envelope, key.PublicKey);
            }
            var ratio = watch.Elapsed.TotalMicroseconds / Math.Max(1, ThreadCpuClock.NowUs() - cpu);
            lock (_ratios)
            {
                _ratios.Add(ratio);
            }
            _stop.Token.WaitHandle.WaitOne(1000);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
