using Otto.Streams.SerDes;
using Otto.Streams.State;

namespace Otto.Streams.Stream;

/// <summary>How a table is stored: store name, serdes, in-memory or persistent, logged or not.</summary>
public sealed class Materialized<K, V>
{
    private Materialized(string? storeName) => StoreName = storeName;

    /// <summary>The store name, or null to have one generated.</summary>
    public string? StoreName { get; }

    /// <summary>Key serde (default: the source's or the config default).</summary>
    public ISerDes<K>? KeySerDes { get; private set; }

    /// <summary>Value serde (default: the source's or the config default).</summary>
    public ISerDes<V>? ValueSerDes { get; private set; }

    /// <summary>The bytes store supplier (default: RocksDB, <see cref="Stores.PersistentKeyValueStore"/>; <see cref="Stores.InMemoryKeyValueStore"/> on request).</summary>
    public IKeyValueBytesStoreSupplier? StoreSupplier { get; private set; }

    /// <summary>False to keep the store without a changelog.</summary>
    public bool LoggingEnabled { get; private set; } = true;

    /// <summary>A store with the given name.</summary>
    public static Materialized<K, V> As(string storeName) => new(storeName);

    /// <summary>A store backed by <paramref name="supplier"/>.</summary>
    public static Materialized<K, V> As(IKeyValueBytesStoreSupplier supplier) => new(supplier.Name) { StoreSupplier = supplier };

    /// <summary>A store with a generated name.</summary>
    public static Materialized<K, V> Create() => new(null);

    /// <summary>Sets both serdes.</summary>
    public Materialized<K, V> With(ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes)
    {
        KeySerDes = keySerDes;
        ValueSerDes = valueSerDes;
        return this;
    }

    /// <summary>Keeps the store without a changelog.</summary>
    public Materialized<K, V> WithLoggingDisabled()
    {
        LoggingEnabled = false;
        return this;
    }
}
