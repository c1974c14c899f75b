using Otto.Streams.Errors;
using Otto.Streams.SerDes;
using Otto.Streams.State;

namespace Otto.Streams.Query;

/// <summary>
/// A read-only view over one key-value store name across this instance's running tasks (one store per
/// partition). A point read asks each store until one has the key; scans visit the stores one after another
/// (ordered within a partition, not across partitions), each read lazily from its own snapshot. A store
/// closed under a read (its task moved in a rebalance) turns into an <see cref="InvalidStateStoreException"/>.
/// </summary>
internal sealed class CompositeReadOnlyKeyValueStore<K, V>(IStateStoreProvider provider) : IReadOnlyKeyValueStore<K, V>
{
    private List<IReadOnlyKeyValueStore<K, V>> Stores() =>
        provider.Stores().Select(s => s as IReadOnlyKeyValueStore<K, V> ?? throw new InvalidStateStoreException(
            $"Store '{provider.StoreName}' is a {s.GetType().Name}, not a key-value store of {typeof(K).Name} → {typeof(V).Name}.",
            provider.StreamState, unknownStore: true)).ToList();

    public V? Get(K key)
    {
        foreach (var store in Stores())
            if (Guard(() => store.Get(key)) is { } value) return value;
        return default;
    }

    public IKeyValueIterator<K, V> Range(K from, K to) => Concat(s => s.Range(from, to));

    public IKeyValueIterator<K, V> ReverseRange(K from, K to) => Concat(s => s.ReverseRange(from, to));

    public IKeyValueIterator<K, V> All() => Concat(s => s.All());

    public IKeyValueIterator<K, V> ReverseAll() => Concat(s => s.ReverseAll());

    public IKeyValueIterator<K, V> PrefixScan<P>(P prefix, ISerDes<P> prefixSerDes) => Concat(s => s.PrefixScan(prefix, prefixSerDes));

    public long ApproximateNumEntries() => Stores().Sum(s => Guard(s.ApproximateNumEntries));

    // One store's iterator open at a time; disposing the view disposes it.
    private KeyValueIterator<K, V> Concat(Func<IReadOnlyKeyValueStore<K, V>, IKeyValueIterator<K, V>> open)
    {
        var stores = Stores();
        IKeyValueIterator<K, V>? current = null;
        IEnumerable<KeyValuePair<K, V>> Entries()
        {
            foreach (var store in stores)
            {
                current = Guard(() => open(store));
                using var entries = Guard(current.GetEnumerator);
                while (Guard(entries.MoveNext)) yield return entries.Current;
                current.Dispose();
                current = null;
            }
        }
        return new KeyValueIterator<K, V>(Entries(), () => current?.Dispose());
    }

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ObjectDisposedException e)
        {
            throw new InvalidStateStoreException(
                $"Store '{provider.StoreName}' was closed while it was read (its task moved in a rebalance); ask again.", provider.StreamState, inner: e);
        }
    }
}
