using System.Diagnostics;
using System.Diagnostics.Metrics;
using Otto.Streams.SerDes;

namespace Otto.Streams.State;

/// <summary>
/// The outer, typed layer of a key-value store: turns keys and values to bytes with the store's serdes and
/// times each point operation (without a closure per call: this is every processor's hot path).
/// </summary>
internal class MeteredKeyValueStore<K, V>(IKeyValueStore<Bytes, byte[]> inner, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
    : TypedStore<K, V>(inner, keySerDes, valueSerDes), IKeyValueStore<K, V>, IUntypedKeyValueStore
{
    private Bytes KeyBytes(K key) => new(KeySerDes.Serialize(key, KeyContext));
    private V? ToValue(byte[]? bytes) => bytes is null ? default : ValueSerDes.Deserialize(bytes, ValueContext);
    private byte[]? ToBytes(V? value) => value is null ? null : ValueSerDes.Serialize(value, ValueContext);

    private KeyValuePair<K, V> ToEntry(KeyValuePair<Bytes, byte[]> kv) =>
        new(KeySerDes.Deserialize(kv.Key.Data, KeyContext), ValueSerDes.Deserialize(kv.Value, ValueContext));

    object? IUntypedKeyValueStore.Get(object key) => Inner.Get(KeyBytes((K)key)) is { } bytes ? ValueSerDes.Deserialize(bytes, ValueContext) : null;

    void IUntypedKeyValueStore.Put(object key, object? value) => Inner.Put(KeyBytes((K)key), value is null ? null : ValueSerDes.Serialize((V)value, ValueContext));

    public V? Get(K key)
    {
        var start = Stopwatch.GetTimestamp();
        var value = ToValue(Inner.Get(KeyBytes(key)));
        Record(StoreMetrics.Get, start);
        return value;
    }

    public void Put(K key, V? value)
    {
        var start = Stopwatch.GetTimestamp();
        Inner.Put(KeyBytes(key), ToBytes(value));
        Record(StoreMetrics.Put, start);
    }

    public V? PutIfAbsent(K key, V value)
    {
        var start = Stopwatch.GetTimestamp();
        var old = ToValue(Inner.PutIfAbsent(KeyBytes(key), ToBytes(value)!));
        Record(StoreMetrics.Put, start);
        return old;
    }

    public void PutAll(IEnumerable<KeyValuePair<K, V?>> entries) =>
        Inner.PutAll(entries.Select(kv => new KeyValuePair<Bytes, byte[]?>(KeyBytes(kv.Key), ToBytes(kv.Value))));

    public V? Delete(K key)
    {
        var start = Stopwatch.GetTimestamp();
        var old = ToValue(Inner.Delete(KeyBytes(key)));
        Record(StoreMetrics.Delete, start);
        return old;
    }

    public IKeyValueIterator<K, V> Range(K from, K to) => Wrap(Inner.Range(KeyBytes(from), KeyBytes(to)));

    public IKeyValueIterator<K, V> ReverseRange(K from, K to) => Wrap(Inner.ReverseRange(KeyBytes(from), KeyBytes(to)));

    public IKeyValueIterator<K, V> All() => Wrap(Inner.All());

    public IKeyValueIterator<K, V> ReverseAll() => Wrap(Inner.ReverseAll());

    // The prefix is serialized in the key's context (same topic, so registry-aware serdes agree), then passed on as bytes.
    public IKeyValueIterator<K, V> PrefixScan<P>(P prefix, ISerDes<P> prefixSerDes) =>
        Wrap(Inner.PrefixScan(prefixSerDes.Serialize(prefix, KeyContext), PassThrough));

    private static readonly ByteArraySerDes PassThrough = new();

    private KeyValueIterator<K, V> Wrap(IKeyValueIterator<Bytes, byte[]> bytes) => new(bytes.Select(ToEntry), bytes.Dispose);

    public long ApproximateNumEntries() => Inner.ApproximateNumEntries();

    private void Record(Histogram<double> histogram, long start) =>
        histogram.Record(Stopwatch.GetElapsedTime(start).TotalMicroseconds, new KeyValuePair<string, object?>("store", Name));
}
