using Otto.Streams.SerDes;

namespace Otto.Streams.State.Window;

/// <summary>
/// A window store over any key-value bytes store (in-memory, RocksDB, with or without changelog), using the
/// <see cref="WindowKeySchema"/> layout. It tracks the latest window start written; windows older than that minus
/// the retention period are no longer returned, refused on write, and removed from the bytes store every half
/// retention period of stream time.
/// </summary>
internal sealed class WindowStore<K, V>(IKeyValueStore<Bytes, byte[]> inner, ISerDes<K> keySerDes, ISerDes<V> valueSerDes, long retentionMs, bool retainDuplicates)
    : TypedStore<K, V>(inner, keySerDes, valueSerDes), IWindowStore<K, V>, IUntypedWindowStore
{
    private long _observedMs = long.MinValue;
    private long _nextPurgeMs = long.MinValue;
    private int _sequence;

    private long ExpiredBeforeOrAt => _observedMs == long.MinValue ? long.MinValue : _observedMs - retentionMs;
    private byte[] KeyBytes(K key) => KeySerDes.Serialize(key, KeyContext);
    private V ToValue(byte[] bytes) => ValueSerDes.Deserialize(bytes, ValueContext);

    public void Put(K key, V? value, long windowStartMs)
    {
        _observedMs = Math.Max(_observedMs, windowStartMs);
        if (windowStartMs <= ExpiredBeforeOrAt) return;
        if (retainDuplicates)
        {
            if (value is null) return;
            Inner.Put(WindowKeySchema.ToStoreKey(KeyBytes(key), windowStartMs, _sequence++), ValueSerDes.Serialize(value, ValueContext));
        }
        else
        {
            Inner.Put(WindowKeySchema.ToStoreKey(KeyBytes(key), windowStartMs, null), value is null ? null : ValueSerDes.Serialize(value, ValueContext));
        }
        PurgeIfDue();
    }

    public V? Fetch(K key, long windowStartMs)
    {
        if (windowStartMs <= ExpiredBeforeOrAt) return default;
        if (retainDuplicates) return Fetch(key, windowStartMs, windowStartMs).Select(e => e.Value).FirstOrDefault();
        var bytes = Inner.Get(WindowKeySchema.ToStoreKey(KeyBytes(key), windowStartMs, null));
        return bytes is null ? default : ToValue(bytes);
    }

    public IReadOnlyList<KeyValuePair<long, V>> Fetch(K key, long fromMs, long toMs) =>
        Scan(KeyBytes(key), fromMs, toMs).Select(e => KeyValuePair.Create(e.Timestamp, ToValue(e.Value))).ToList();

    private List<(long Timestamp, byte[] Value)> Scan(byte[] key, long fromMs, long toMs)
    {
        fromMs = Math.Max(fromMs, ExpiredBeforeOrAt == long.MinValue ? long.MinValue : ExpiredBeforeOrAt + 1);
        var result = new List<(long, byte[])>();
        if (fromMs > toMs) return result;
        var (from, to) = WindowKeySchema.Range(key, Math.Max(0, fromMs), toMs, retainDuplicates);
        using var entries = Inner.Range(from, to);
        foreach (var (storeKey, value) in entries)
            if (WindowKeySchema.BelongsTo(storeKey.Data, key, retainDuplicates))
                result.Add((WindowKeySchema.Parse(storeKey.Data, retainDuplicates).Timestamp, value));
        return result;
    }

    public IReadOnlyList<(K Key, long WindowStartMs, V Value)> All()
    {
        using var entries = Inner.All();
        var result = new List<(K, long, V)>();
        foreach (var (storeKey, value) in entries)
        {
            var (key, start) = WindowKeySchema.Parse(storeKey.Data, retainDuplicates);
            if (start > ExpiredBeforeOrAt) result.Add((KeySerDes.Deserialize(key, KeyContext), start, ToValue(value)));
        }
        return result;
    }

    /// <summary>Removes expired windows, at most every half retention period of stream time (a full scan: the layout
    /// is key-first so lookups by key stay one range scan).</summary>
    private void PurgeIfDue()
    {
        if (_observedMs < _nextPurgeMs) return;
        _nextPurgeMs = _observedMs + Math.Max(1, retentionMs / 2);
        var expired = new List<Bytes>();
        using (var entries = Inner.All())
            foreach (var (storeKey, _) in entries)
                if (WindowKeySchema.Parse(storeKey.Data, retainDuplicates).Timestamp <= ExpiredBeforeOrAt) expired.Add(storeKey);
        foreach (var key in expired) Inner.Delete(key);
    }

    object? IUntypedWindowStore.Fetch(object key, long windowStartMs)
    {
        if (windowStartMs <= ExpiredBeforeOrAt) return null;
        var bytes = Inner.Get(WindowKeySchema.ToStoreKey(KeyBytes((K)key), windowStartMs, null));
        return bytes is null ? null : ToValue(bytes);
    }

    void IUntypedWindowStore.Put(object key, object? value, long windowStartMs) => Put((K)key, (V?)value, windowStartMs);

    IEnumerable<(long Timestamp, object Value)> IUntypedWindowStore.FetchObjects(object key, long fromMs, long toMs) =>
        Scan(KeyBytes((K)key), fromMs, toMs).Select(e => (e.Timestamp, (object)ToValue(e.Value)!));
}
