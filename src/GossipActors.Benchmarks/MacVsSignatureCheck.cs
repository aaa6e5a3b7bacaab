using System.Diagnostics;

namespace GossipActors.Benchmarks;

/// <summary>
/// A load-robust, paired measurement for <see cref="SessionMacBenchmarks"/> on a shared machine: it alternates blocks of
/// the signature operation and the MAC operation on the same message, so both see the same load, and reports the
/// fastest block and the median per operation, and the median of the per-round ratios.
/// dotnet run -c Release --project src/GossipActors.Benchmarks -- mac-vs-signature
/// </summary>
internal static class MacVsSignatureCheck
{
    private static readonly string[] Names =
    [
        "digest: Ed25519 sign", "digest: MAC seal",
        "digest: Ed25519 verify", "digest: MAC open",
        "4 KiB block: Ed25519 sign", "4 KiB block: MAC seal",
        "4 KiB block: Ed25519 verify", "4 KiB block: MAC open",
    ];

    public static int Run(int rounds = 40, int perBlock = 200)
    {
        var bench = new SessionMacBenchmarks();
        bench.Setup();
        try
        {
            var operations = bench.Pairs();
            foreach (var operation in operations)
            {
                for (var i = 0; i < 2_000; i++) // warm up (tiered JIT)
                {
                    operation();
                }
            }
            Console.WriteLine($"rounds {rounds} x {perBlock} operations each, signature and MAC alternating; {Environment.ProcessorCount} cores");
            Console.WriteLine($"{"operation",-30} {"min us",9} {"median us",10}");
            for (var pair = 0; pair < operations.Length; pair += 2)
            {
                var signature = new List<double>(rounds);
                var mac = new List<double>(rounds);
                for (var round = 0; round < rounds; round++)
                {
                    var signatureFirst = round % 2 == 0;
                    var first = Time(operations[pair + (signatureFirst ? 0 : 1)], perBlock);
                    var second = Time(operations[pair + (signatureFirst ? 1 : 0)], perBlock);
                    signature.Add(signatureFirst ? first : second);
                    mac.Add(signatureFirst ? second : first);
                }
                var ratios = signature.Zip(mac, (s, m) => s / m).Order().ToList();
                Console.WriteLine($"{Names[pair],-30} {signature.Min(),9:F2} {Median(signature),10:F2}");
                Console.WriteLine($"{Names[pair + 1],-30} {mac.Min(),9:F2} {Median(mac),10:F2}   signature/MAC: median {ratios[ratios.Count / 2]:F1}x");
            }
            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static double Time(Action operation, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            operation();
        }
        watch.Stop();
        return watch.Elapsed.TotalMicroseconds / count;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
