using Otto.Streams.State;

namespace Otto.Streams.Query;

/// <summary>The local stores of one name that an interactive query reads: one per active, running task of this
/// instance. Asked again on every operation, so a view outlives rebalances.</summary>
public interface IStateStoreProvider
{
    /// <summary>The store's name.</summary>
    string StoreName { get; }

    /// <summary>The stream's state now (for error messages).</summary>
    KafkaStreamState StreamState { get; }

    /// <summary>The stores of the running tasks that hold <see cref="StoreName"/>.</summary>
    /// <exception cref="Errors.InvalidStateStoreException">The stream is not running.</exception>
    IReadOnlyList<IStateStore> Stores();
}

/// <summary>A kind of store an interactive query can ask for, and how to view all local instances of it as one.</summary>
/// <typeparam name="TStore">The read-only view handed to the caller.</typeparam>
public interface IQueryableStoreType<out TStore>
{
    /// <summary>True when <paramref name="store"/> can be read as <typeparamref name="TStore"/>.</summary>
    bool Accepts(IStateStore store);

    /// <summary>A read-only view over every store <paramref name="provider"/> gives.</summary>
    TStore Create(IStateStoreProvider provider);
}

/// <summary>The store types interactive queries know, as Kafka Streams' <c>QueryableStoreTypes</c>.</summary>
public static class QueryableStoreTypes
{
    /// <summary>A key-value store with keys <typeparamref name="K"/> and values <typeparamref name="V"/>
    /// (for a timestamped store, <typeparamref name="V"/> is <see cref="ValueAndTimestamp{V}"/>).</summary>
    public static IQueryableStoreType<IReadOnlyKeyValueStore<K, V>> KeyValueStore<K, V>() => new KeyValueStoreType<K, V>();

    private sealed class KeyValueStoreType<K, V> : IQueryableStoreType<IReadOnlyKeyValueStore<K, V>>
    {
        public bool Accepts(IStateStore store) => store is IReadOnlyKeyValueStore<K, V>;

        public IReadOnlyKeyValueStore<K, V> Create(IStateStoreProvider provider) => new CompositeReadOnlyKeyValueStore<K, V>(provider);
    }
}

/// <summary>What <see cref="KafkaStream.Store{TStore}"/> is asked for: a store name and its type.</summary>
/// <typeparam name="TStore">The read-only view.</typeparam>
public sealed class StoreQueryParameters<TStore>
{
    internal StoreQueryParameters(string storeName, IQueryableStoreType<TStore> storeType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storeName);
        StoreName = storeName;
        StoreType = storeType;
    }

    /// <summary>The store's name in the topology.</summary>
    public string StoreName { get; }

    /// <summary>The kind of store and its key and value types.</summary>
    public IQueryableStoreType<TStore> StoreType { get; }
}

/// <summary>Makes <see cref="StoreQueryParameters{TStore}"/>.</summary>
public static class StoreQueryParameters
{
    /// <summary>Parameters for the store <paramref name="storeName"/> of type <paramref name="storeType"/>, e.g.
    /// <c>StoreQueryParameters.FromNameAndType("payments", QueryableStoreTypes.KeyValueStore&lt;string, PaymentState&gt;())</c>.</summary>
    public static StoreQueryParameters<TStore> FromNameAndType<TStore>(string storeName, IQueryableStoreType<TStore> storeType) => new(storeName, storeType);
}
