using Otto.Streams.Runtime;
using Otto.Streams.State;

using Otto.Streams.State.RocksDb;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>A task context for one store: a state directory, the registered restore callback, logged changes.</summary>
internal sealed class TestStoreContext(string stateDirectory, RocksDbMemory? memory = null) : IStateStoreContext
{
    public RocksDbMemory StoreMemory { get; } = memory ?? RocksDbKeyValueStoreContractTests.Memory;
    public string ApplicationId => "test-app";
    public TaskId TaskId { get; } = new(0, 0);
    public string StateDirectory { get; } = stateDirectory;
    public List<(string Store, byte[] Key, byte[]? Value)> Logged { get; } = [];
    public Action<byte[], byte[]?>? RestoreCallback { get; private set; }
    public IStateStore? Registered { get; private set; }

    public void Register(IStateStore store, Action<byte[], byte[]?> restore)
    {
        Registered = store;
        RestoreCallback = restore;
    }

    public void LogChange(string storeName, byte[] key, byte[]? value) => Logged.Add((storeName, key, value));

    public string ChangelogTopic(string storeName) => $"{ApplicationId}-{storeName}-changelog";

    /// <summary>Replays changelog records as the engine does during restoration.</summary>
    public void Restore(byte[] key, byte[]? value) =>
        (RestoreCallback ?? throw new InvalidOperationException("No store registered"))(key, value);
}
