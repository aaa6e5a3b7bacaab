using System.Diagnostics;

namespace GossipActors.Benchmarks;

/// <summary>
/// A load-robust companion to <see cref="SignatureBenchmarks"/> for the 1.2x acceptance check on a shared machine:
/// it alternates blocks of NSec raw verifies and envelope verifies of the same payload, so both see the same load,
/// and reports the median of the per-round ratios and the ratio of the fastest blocks.
/// dotnet run -c Release --project src/GossipActors.Benchmarks -- verify-ratio
/// </summary>
internal static class VerifyRatioCheck
{
    public static int Run(int rounds = 60, int perBlock = 200)
    {
        var bench = new SignatureBenchmarks();
        bench.Setup();
        try
        {
            for (var i = 0; i < 2_000; i++) // warm up both paths (tiered JIT)
            {
                bench.NSecRawVerify();
                bench.EnvelopeVerify();
            }
            var raw = new List<double>(rounds);
            var envelope = new List<double>(rounds);
            for (var round = 0; round < rounds; round++)
            {
                var rawFirst = round % 2 == 0;
                var first = Time(rawFirst ? bench.NSecRawVerify : bench.EnvelopeVerify, perBlock);
                var second = Time(rawFirst ? bench.EnvelopeVerify : bench.NSecRawVerify, perBlock);
                raw.Add(rawFirst ? first : second);
                envelope.Add(rawFirst ? second : first);
            }
            var ratios = raw.Zip(envelope, (r, e) => e / r).Order().ToList();
            Console.WriteLine($"rounds {rounds} x {perBlock} verifies each, alternating");
            Console.WriteLine($"NSec raw verify      min {raw.Min():F1} us  median {Median(raw):F1} us");
            Console.WriteLine($"Envelope verify      min {envelope.Min():F1} us  median {Median(envelope):F1} us");
            Console.WriteLine($"ratio envelope/raw   median of rounds {ratios[ratios.Count / 2]:F3}  min/min {envelope.Min() / raw.Min():F3}");
            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static double Time(Func<bool> verify, int count)
    {
        var ok = true;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            ok &= verify();
        }
        watch.Stop();
        return ok ? watch.Elapsed.TotalMicroseconds / count : throw new InvalidOperationException("a signature failed to verify");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
