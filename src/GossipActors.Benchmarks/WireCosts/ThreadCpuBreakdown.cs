using System.Globalization;
using System.Text.RegularExpressions;

namespace GossipActors.Benchmarks.WireCosts;

/// <summary>
/// CPU time of this process's threads grouped by thread name (Linux /proc/self/task/*/stat, utime + stime in clock
/// ticks of 10 ms): where the process's CPU goes (dispatcher threads, DotNetty event loops, the thread pool, the GC,
/// the timers). Threads that end between two snapshots are lost, so the groups may sum to less than the process.
/// </summary>
internal static partial class ThreadCpuBreakdown
{
    private const double MsPerTick = 10;

    /// <summary>CPU ms so far per thread id, with the thread's name.</summary>
    public static Dictionary<int, (string Name, double CpuMs)> Snapshot()
    {
        var threads = new Dictionary<int, (string, double)>();
        if (!Directory.Exists("/proc/self/task"))
        {
            return threads;
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                // After the name: state(0) ppid(1) ... utime is field 14 of stat, i.e. index 11 here; stime index 12.
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                threads[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (name, ticks * MsPerTick);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The thread ended while we read it.
            }
        }
        return threads;
    }

    /// <summary>CPU ms between two snapshots per thread-name group (digits folded: "akka.remote-1" and "-2" together),
    /// largest first, with the number of threads in the group.</summary>
    public static IReadOnlyList<(string Group, int Threads, double CpuMs)> Between(
        Dictionary<int, (string Name, double CpuMs)> before, Dictionary<int, (string Name, double CpuMs)> after) =>
        after.Select(t => (Group: Digits().Replace(t.Value.Name, "#"), Ms: t.Value.CpuMs - (before.TryGetValue(t.Key, out var b) ? b.CpuMs : 0)))
            .GroupBy(t => t.Group)
            .Select(g => (g.Key, g.Count(), g.Sum(t => t.Ms)))
            .OrderByDescending(g => g.Item3)
            .ToList();

    /// <summary>CPU ms of the runtime's tiered-compilation thread between two snapshots: the JIT recompiling hot code,
    /// a cost of the first seconds of a process, not of a message.</summary>
    public static double JitMs(Dictionary<int, (string Name, double CpuMs)> before, Dictionary<int, (string Name, double CpuMs)> after) =>
        Between(before, after).Where(g => g.Group.StartsWith(".NET Tiered", StringComparison.Ordinal)).Sum(g => g.CpuMs);

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
