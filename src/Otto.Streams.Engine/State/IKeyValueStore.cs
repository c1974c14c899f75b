using Otto.Streams.SerDes;

namespace Otto.Streams.State;

/// <summary>Read access to a key-value store, as interactive queries and processors see it.</summary>
public interface IReadOnlyKeyValueStore<K, V>
{
    /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
    V? Get(K key);

    /// <summary>Entries with <paramref name="from"/> ≤ key ≤ <paramref name="to"/> in key-byte order. Dispose the iterator.</summary>
    IKeyValueIterator<K, V> Range(K from, K to);

    /// <summary>Entries with <paramref name="from"/> ≤ key ≤ <paramref name="to"/>, largest key first. Dispose the iterator.</summary>
    IKeyValueIterator<K, V> ReverseRange(K from, K to);

    /// <summary>All entries in key-byte order, read lazily so a large store is never loaded at once. Dispose the iterator.</summary>
    IKeyValueIterator<K, V> All();

    /// <summary>All entries, largest key first. Dispose the iterator.</summary>
    IKeyValueIterator<K, V> ReverseAll();

    /// <summary>Entries whose key bytes start with the bytes of <paramref name="prefix"/> (serialized with
    /// <paramref name="prefixSerDes"/>), in key-byte order. Dispose the iterator.</summary>
    IKeyValueIterator<K, V> PrefixScan<P>(P prefix, ISerDes<P> prefixSerDes);

    /// <summary>An estimate of the number of entries.</summary>
    long ApproximateNumEntries();
}

/// <summary>A key-value store. A null value is never stored: <see cref="Put"/> with null deletes.</summary>
public interface IKeyValueStore<K, V> : IStateStore, IReadOnlyKeyValueStore<K, V>
{
    /// <summary>Writes <paramref name="value"/> under <paramref name="key"/>; null deletes.</summary>
    void Put(K key, V? value);

    /// <summary>Writes only when the key is absent; returns the existing value, or null when it wrote.</summary>
    V? PutIfAbsent(K key, V value);

    /// <summary>Writes all entries as one batch.</summary>
    void PutAll(IEnumerable<KeyValuePair<K, V?>> entries);

    /// <summary>Removes <paramref name="key"/>; returns the old value or null.</summary>
    V? Delete(K key);
}

/// <summary>A lazily read sequence of entries holding resources (e.g. a RocksDB iterator): enumerate it once, then dispose it.</summary>
public interface IKeyValueIterator<K, V> : IEnumerable<KeyValuePair<K, V>>, IDisposable
{
}
