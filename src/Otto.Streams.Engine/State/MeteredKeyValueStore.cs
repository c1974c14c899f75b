using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Otto.Streams.SerDes;

namespace Otto.Streams.State;

/// <summary>
/// The outer, typed layer of a key-value store: turns keys and values to bytes with the store's serdes
/// (in the context of the changelog topic, so schema-registry subjects match Kafka Streams') and times
/// each operation.
/// </summary>
internal class MeteredKeyValueStore<K, V>(IKeyValueStore<Bytes, byte[]> inner, ISerDes<K> keySerDes, ISerDes<V> valueSerDes)
    : IKeyValueStore<K, V>, IUntypedKeyValueStore
{
    private SerializationContext _keyContext;
    private SerializationContext _valueContext;

    public string Name => inner.Name;
    public bool Persistent => inner.Persistent;
    public bool IsOpen => inner.IsOpen;

    public void Init(IStateStoreContext context)
    {
        var topic = context.ChangelogTopic(Name);
        _keyContext = new SerializationContext(MessageComponentType.Key, topic);
        _valueContext = new SerializationContext(MessageComponentType.Value, topic);
        inner.Init(context);
    }

    private Bytes KeyBytes(K key) => new(keySerDes.Serialize(key, _keyContext));
    private V? ToValue(byte[]? bytes) => bytes is null ? default : valueSerDes.Deserialize(bytes, _valueContext);
    private byte[]? ToBytes(V? value) => value is null ? null : valueSerDes.Serialize(value, _valueContext);

    private KeyValuePair<K, V> ToEntry(KeyValuePair<Bytes, byte[]> kv) =>
        new(keySerDes.Deserialize(kv.Key.Data, _keyContext), valueSerDes.Deserialize(kv.Value, _valueContext));

    object? IUntypedKeyValueStore.Get(object key) => inner.Get(KeyBytes((K)key)) is { } bytes ? valueSerDes.Deserialize(bytes, _valueContext) : null;

    void IUntypedKeyValueStore.Put(object key, object? value) => inner.Put(KeyBytes((K)key), value is null ? null : valueSerDes.Serialize((V)value, _valueContext));

    public V? Get(K key) => Timed(StoreMetrics.Get, () => ToValue(inner.Get(KeyBytes(key))));

    public void Put(K key, V? value) => Timed(StoreMetrics.Put, () => { inner.Put(KeyBytes(key), ToBytes(value)); return 0; });

    public V? PutIfAbsent(K key, V value) => Timed(StoreMetrics.Put, () => ToValue(inner.PutIfAbsent(KeyBytes(key), ToBytes(value)!)));

    public void PutAll(IEnumerable<KeyValuePair<K, V?>> entries) =>
        inner.PutAll(entries.Select(kv => new KeyValuePair<Bytes, byte[]?>(KeyBytes(kv.Key), ToBytes(kv.Value))));

    public V? Delete(K key) => Timed(StoreMetrics.Delete, () => ToValue(inner.Delete(KeyBytes(key))));

    public IKeyValueIterator<K, V> Range(K from, K to) => Wrap(inner.Range(KeyBytes(from), KeyBytes(to)));

    public IKeyValueIterator<K, V> ReverseRange(K from, K to) => Wrap(inner.ReverseRange(KeyBytes(from), KeyBytes(to)));

    public IKeyValueIterator<K, V> All() => Wrap(inner.All());

    public IKeyValueIterator<K, V> ReverseAll() => Wrap(inner.ReverseAll());

    // The prefix is serialized in the key's context (same topic, so registry-aware serdes agree), then passed on as bytes.
    public IKeyValueIterator<K, V> PrefixScan<P>(P prefix, ISerDes<P> prefixSerDes) =>
        Wrap(inner.PrefixScan(prefixSerDes.Serialize(prefix, _keyContext), PassThrough));

    private static readonly ByteArraySerDes PassThrough = new();

    private KeyValueIterator<K, V> Wrap(IKeyValueIterator<Bytes, byte[]> bytes) => new(bytes.Select(ToEntry), bytes.Dispose);

    public long ApproximateNumEntries() => inner.ApproximateNumEntries();
    public void Flush() => inner.Flush();
    public void Close() => inner.Close();

    private T Timed<T>(Histogram<double> histogram, Func<T> operation)
    {
        var start = Stopwatch.GetTimestamp();
        try { return operation(); }
        finally { histogram.Record(Stopwatch.GetElapsedTime(start).TotalMicroseconds, new KeyValuePair<string, object?>("store", Name)); }
    }
}
