using System.Globalization;

namespace GossipActors.Benchmarks.RealNetwork;

/// <summary>
/// The process's allocation and GC counts and its minor page faults (from /proc/self/stat; 0 where that is absent), to
/// tell copies and fresh large-object-heap memory apart from other CPU in a benchmark's span.
/// </summary>
internal readonly record struct MemoryCounters(long AllocatedBytes, int Gen0, int Gen1, int Gen2, long MinorFaults)
{
    public static MemoryCounters Now() =>
        new(GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), MinorFaultsSoFar());

    public static MemoryCounters operator -(MemoryCounters a, MemoryCounters b) =>
        new(a.AllocatedBytes - b.AllocatedBytes, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.MinorFaults - b.MinorFaults);

    private static long MinorFaultsSoFar()
    {
        const string path = "/proc/self/stat";
        if (!File.Exists(path))
        {
            return 0;
        }
        // Fields after the parenthesised command name: state is field 3, minflt field 10.
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }
}
