namespace Otto.Streams.State;

/// <summary>A state store owned by one task. Layers (metered → change-logging → in-memory or RocksDB) all implement it.</summary>
public interface IStateStore
{
    /// <summary>The store's name, unique in the topology; also names its changelog topic.</summary>
    string Name { get; }

    /// <summary>True when the store keeps its data on disk across restarts.</summary>
    bool Persistent { get; }

    /// <summary>True between <see cref="Init"/> and <see cref="Close"/>.</summary>
    bool IsOpen { get; }

    /// <summary>Opens the store for a task and registers it for changelog restoration.</summary>
    void Init(IStateStoreContext context);

    /// <summary>Makes buffered writes durable; called before offsets are committed.</summary>
    void Flush();

    /// <summary>Closes the store; further use throws.</summary>
    void Close();
}

/// <summary>What a store sees of its task while it initializes and runs.</summary>
public interface IStateStoreContext
{
    /// <summary>The application id.</summary>
    string ApplicationId { get; }

    /// <summary>The owning task.</summary>
    Runtime.TaskId TaskId { get; }

    /// <summary>The task's state directory: a persistent store keeps its files in the sub-directory named after it.</summary>
    string StateDirectory { get; }

    /// <summary>The memory budget (block cache, memtables) shared by every RocksDB store of the instance.</summary>
    RocksDb.RocksDbMemory StoreMemory { get; }

    /// <summary>Registers the innermost (bytes) store: during restoration the engine hands it each changelog
    /// record (value null for a deletion) through <paramref name="restore"/>.</summary>
    void Register(IStateStore store, Action<byte[], byte[]?> restore);

    /// <summary>Writes one change of store <paramref name="storeName"/> to its changelog (value null: deleted).</summary>
    void LogChange(string storeName, byte[] key, byte[]? value);

    /// <summary>The changelog topic of a store.</summary>
    string ChangelogTopic(string storeName);
}
