using Otto.Streams.Runtime;
using Otto.Streams.State;
using Otto.Streams.State.RocksDb;

namespace Otto.Bench;

/// <summary>A task context for stores opened outside a topology: a temporary state directory (deleted on
/// dispose), one memory budget, no changelog.</summary>
internal sealed class StoreBenchContext(RocksDbMemory memory) : IStateStoreContext, IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("otto-bench-store-");

    public string ApplicationId => "bench";
    public TaskId TaskId => new(0, 0);
    public string StateDirectory => _directory.FullName;
    public RocksDbMemory StoreMemory { get; } = memory;
    public void Register(IStateStore store, Action<byte[], byte[]?> restore) { }
    public void LogChange(string storeName, byte[] key, byte[]? value) { }
    public string ChangelogTopic(string storeName) => $"bench-{storeName}-changelog";

    /// <summary>Resident memory of this process (VmRSS) in MiB, as the kernel counts it.</summary>
    public static double ResidentMiB(string field = "VmRSS") =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0)
            .First();

    /// <summary>CPU time the calling thread has used (clock_gettime(CLOCK_THREAD_CPUTIME_ID)): on a shared
    /// machine, operations per CPU-second of the thread doing them are steadier than per wall-clock second.</summary>
    public static TimeSpan ThreadCpuTime()
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

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clock, out TimeSpec time);

    public void Dispose() => _directory.Delete(recursive: true);
}
