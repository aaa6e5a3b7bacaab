using System.Runtime.InteropServices;

namespace GossipActors.Benchmarks.WireCosts;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID): what a step costs in CPU, unaffected by other
/// processes that compete for the cores (wall time on a loaded machine counts their time slices too).
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    public static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>The thread's CPU time in microseconds.</summary>
    public static double NowUs() => ClockGetTime(ClockThreadCpuTime, out var t) == 0
        ? t.Seconds * 1e6 + t.Nanoseconds / 1e3
        : throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
}
