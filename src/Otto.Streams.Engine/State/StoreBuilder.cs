using Otto.Streams.SerDes;

namespace Otto.Streams.State;

/// <summary>Builds a fresh store instance for each task that uses it.</summary>
public interface IStoreBuilder
{
    /// <summary>The store name.</summary>
    string Name { get; }

    /// <summary>True when changes are written to a changelog topic and restored from it.</summary>
    bool LoggingEnabled { get; }

    /// <summary>Creates a new, uninitialized store.</summary>
    IStateStore Build();
}

/// <summary>Supplies the innermost bytes store (in-memory, or RocksDB in Otto.Streams.RocksDb).</summary>
public interface IKeyValueBytesStoreSupplier
{
    /// <summary>The store name.</summary>
    string Name { get; }

    /// <summary>Creates a new bytes store.</summary>
    IKeyValueStore<Bytes, byte[]> Get();
}

/// <summary>Builds metered, optionally change-logging, key-value stores around a bytes store.</summary>
public sealed class KeyValueStoreBuilder<K, V>(IKeyValueBytesStoreSupplier supplier, ISerDes<K> keySerDes, ISerDes<V> valueSerDes) : IStoreBuilder
   
{
    /// <inheritdoc />
    public string Name => supplier.Name;

    /// <inheritdoc />
    public bool LoggingEnabled { get; private set; } = true;

    /// <summary>Turns the changelog off: the store starts empty on every new instance.</summary>
    public KeyValueStoreBuilder<K, V> WithLoggingDisabled()
    {
        LoggingEnabled = false;
        return this;
    }

    /// <inheritdoc />
    public IStateStore Build()
    {
        var bytes = supplier.Get();
        if (LoggingEnabled) bytes = new ChangeLoggingKeyValueStore(bytes);
        return new MeteredKeyValueStore<K, V>(bytes, keySerDes, valueSerDes);
    }
}

/// <summary>Factory methods for stores, as in Kafka Streams' <c>Stores</c>.</summary>
public static class Stores
{
    /// <summary>An in-memory bytes store supplier.</summary>
    public static IKeyValueBytesStoreSupplier InMemoryKeyValueStore(string name) => new InMemorySupplier(name);

    /// <summary>A builder of typed key-value stores over <paramref name="supplier"/>, logged by default.</summary>
    public static KeyValueStoreBuilder<K, V> KeyValueStoreBuilder<K, V>(IKeyValueBytesStoreSupplier supplier, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
        => new(supplier, keySerDes, valueSerDes);

    private sealed record InMemorySupplier(string Name) : IKeyValueBytesStoreSupplier
    {
        public IKeyValueStore<Bytes, byte[]> Get() => new InMemoryKeyValueStore(Name);
    }
}
