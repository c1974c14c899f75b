using Otto.Streams.SerDes;
using Otto.Streams.State.RocksDb;

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

/// <summary>Supplies the innermost bytes store: RocksDB (the default) or in-memory.</summary>
public interface IKeyValueBytesStoreSupplier
{
    /// <summary>The store name.</summary>
    string Name { get; }

    /// <summary>Creates a new bytes store.</summary>
    IKeyValueStore<Bytes, byte[]> Get();
}

/// <summary>Builds the layers around a supplied bytes store: optionally change-logging, optionally caching
/// (over a logged store only: it saves changelog records and store writes), then a typed outer layer.</summary>
public abstract class KeyValueStoreBuilderBase(IKeyValueBytesStoreSupplier supplier) : IStoreBuilder
{
    /// <inheritdoc />
    public string Name => supplier.Name;

    /// <inheritdoc />
    public bool LoggingEnabled { get; protected set; } = true;

    /// <summary>True when writes are held in a record cache until the next commit (see
    /// <see cref="StreamConfig.StatestoreCacheMaxBytes"/>); only applies to logged stores. On by default.</summary>
    public bool CachingEnabled { get; protected set; } = true;

    /// <inheritdoc />
    public IStateStore Build()
    {
        var bytes = supplier.Get();
        if (LoggingEnabled) bytes = new ChangeLoggingKeyValueStore(bytes);
        if (LoggingEnabled && CachingEnabled) bytes = new CachingKeyValueStore(bytes);
        return Outer(bytes);
    }

    /// <summary>The typed layer over the (logged) bytes store.</summary>
    private protected abstract IStateStore Outer(IKeyValueStore<Bytes, byte[]> bytes);
}

/// <summary>Builds metered, optionally change-logging, key-value stores around a bytes store.</summary>
public sealed class KeyValueStoreBuilder<K, V>(IKeyValueBytesStoreSupplier supplier, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
    : KeyValueStoreBuilderBase(supplier)
{
    /// <summary>Turns the changelog off: the store starts empty on every new instance.</summary>
    public KeyValueStoreBuilder<K, V> WithLoggingDisabled()
    {
        LoggingEnabled = false;
        return this;
    }

    /// <summary>Holds writes in a record cache until the next commit (the default for logged stores).</summary>
    public KeyValueStoreBuilder<K, V> WithCachingEnabled()
    {
        CachingEnabled = true;
        return this;
    }

    /// <summary>Writes every change through to the store and its changelog at once.</summary>
    public KeyValueStoreBuilder<K, V> WithCachingDisabled()
    {
        CachingEnabled = false;
        return this;
    }

    private protected override IStateStore Outer(IKeyValueStore<Bytes, byte[]> bytes) => new MeteredKeyValueStore<K, V>(bytes, keySerDes, valueSerDes);
}

/// <summary>Builds <see cref="ITimestampedKeyValueStore{K,V}"/>s around a bytes store.</summary>
public sealed class TimestampedKeyValueStoreBuilder<K, V>(IKeyValueBytesStoreSupplier supplier, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
    : KeyValueStoreBuilderBase(supplier)
{
    /// <summary>Turns the changelog off: the store starts empty on every new instance.</summary>
    public TimestampedKeyValueStoreBuilder<K, V> WithLoggingDisabled()
    {
        LoggingEnabled = false;
        return this;
    }

    /// <summary>Holds writes in a record cache until the next commit (the default for logged stores).</summary>
    public TimestampedKeyValueStoreBuilder<K, V> WithCachingEnabled()
    {
        CachingEnabled = true;
        return this;
    }

    /// <summary>Writes every change through to the store and its changelog at once.</summary>
    public TimestampedKeyValueStoreBuilder<K, V> WithCachingDisabled()
    {
        CachingEnabled = false;
        return this;
    }

    private protected override IStateStore Outer(IKeyValueStore<Bytes, byte[]> bytes) =>
        new MeteredTimestampedKeyValueStore<K, V>(bytes, keySerDes, valueSerDes);
}

/// <summary>Factory methods for stores, as in Kafka Streams' <c>Stores</c>.</summary>
public static class Stores
{
    /// <summary>A persistent RocksDB bytes store supplier, the default of materialized tables. Its stores live in
    /// <c>{StateDir}/{ApplicationId}/{task}/{name}</c> and share the instance's memory budget
    /// (<see cref="StreamConfig.RocksDbBlockCacheBytes"/>, <see cref="StreamConfig.RocksDbWriteBufferBytes"/>).</summary>
    public static IKeyValueBytesStoreSupplier PersistentKeyValueStore(string name) => new RocksDbStoreSupplier(name);

    /// <summary>An in-memory bytes store supplier: faster, but restored from the whole changelog on every start.</summary>
    public static IKeyValueBytesStoreSupplier InMemoryKeyValueStore(string name) => new InMemorySupplier(name);

    /// <summary>A builder of typed key-value stores over <paramref name="supplier"/>, logged by default.</summary>
    public static KeyValueStoreBuilder<K, V> KeyValueStoreBuilder<K, V>(IKeyValueBytesStoreSupplier supplier, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
        => new(supplier, keySerDes, valueSerDes);

    /// <summary>A builder of timestamped key-value stores over <paramref name="supplier"/>, logged by default.</summary>
    public static TimestampedKeyValueStoreBuilder<K, V> TimestampedKeyValueStoreBuilder<K, V>(IKeyValueBytesStoreSupplier supplier,
        ISerDes<K> keySerDes, ISerDes<V> valueSerDes) => new(supplier, keySerDes, valueSerDes);

    private sealed record InMemorySupplier(string Name) : IKeyValueBytesStoreSupplier
    {
        public IKeyValueStore<Bytes, byte[]> Get() => new InMemoryKeyValueStore(Name);
    }
}
