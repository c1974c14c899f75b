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

    public void Dispose() => _directory.Delete(recursive: true);
}
