using System.Globalization;
using System.Runtime.InteropServices;

namespace Otto.Bench;

/// <summary>What the benchmarks read about this process besides the wall clock: resident memory as the kernel
/// counts it, and CPU time (on a shared machine, work per CPU-second is steadier than per wall-clock second).</summary>
internal static class ProcessStats
{
    /// <summary>A memory field of /proc/self/status in MiB: VmRSS (resident now) or VmHWM (the peak).</summary>
    public static double ResidentMiB(string field = "VmRSS") =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0)
            .First();

    /// <summary>CPU time of the whole process: every thread, librdkafka's and RocksDB's included.</summary>
    public static TimeSpan ProcessCpu() => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>CPU time the calling thread has used (clock_gettime(CLOCK_THREAD_CPUTIME_ID)).</summary>
    public static TimeSpan ThreadCpu()
    {
        if (clock_gettime(ClockThreadCpuTimeId, out var time) != 0) throw new InvalidOperationException("clock_gettime failed");
        return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
    }

    private const int ClockThreadCpuTimeId = 3;

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out TimeSpec time);
}
