using System.Globalization;

namespace GossipActors.Benchmarks;

/// <summary>The <c>--name value</c> options of the benchmark runs: a missing option takes its default, a number that
/// does not parse stops the run (FormatException) rather than running with the default.</summary>
internal static class BenchmarkArgs
{
    public static int Int(string[] args, string name, int fallback) =>
        Text(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static string Text(string[] args, string name, string fallback) => Text(args, name) ?? fallback;

    private static string? Text(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
