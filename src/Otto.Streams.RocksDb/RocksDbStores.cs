using Otto.Streams.State;

namespace Otto.Streams.RocksDb;

/// <summary>Factory methods for RocksDB stores, the persistent counterpart of <see cref="Stores"/>.</summary>
public static class RocksDbStores
{
    /// <summary>A supplier of persistent RocksDB key-value stores named <paramref name="name"/>, sharing
    /// <paramref name="memory"/> (default: <see cref="RocksDbMemory.Default"/>).</summary>
    public static IKeyValueBytesStoreSupplier PersistentKeyValueStore(string name, RocksDbMemory? memory = null) =>
        new RocksDbStoreSupplier(name, memory);
}
