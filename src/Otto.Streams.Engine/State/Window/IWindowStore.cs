namespace Otto.Streams.State.Window;

/// <summary>Read access to a window store: values per key and window start.</summary>
public interface IReadOnlyWindowStore<K, V>
{
    /// <summary>The value of <paramref name="key"/> in the window starting at <paramref name="windowStartMs"/>, or default when absent.</summary>
    V? Fetch(K key, long windowStartMs);

    /// <summary>The values of <paramref name="key"/> in windows starting from <paramref name="fromMs"/> to <paramref name="toMs"/> (inclusive), by start.</summary>
    IReadOnlyList<KeyValuePair<long, V>> Fetch(K key, long fromMs, long toMs);

    /// <summary>Every live entry as (key, window start, value), in key-byte then time order.</summary>
    IReadOnlyList<(K Key, long WindowStartMs, V Value)> All();
}

/// <summary>A window store: values keyed by (key, window start), kept for the retention period after the latest
/// window start seen (older windows are removed as stream time advances).</summary>
public interface IWindowStore<K, V> : IStateStore, IReadOnlyWindowStore<K, V>
{
    /// <summary>Writes the value of <paramref name="key"/> in the window starting at <paramref name="windowStartMs"/>; null deletes
    /// (with duplicates retained, null is ignored and each put adds an entry).</summary>
    void Put(K key, V? value, long windowStartMs);
}

/// <summary>The DSL's untyped view of a window store (absent = null, even for struct values).</summary>
internal interface IUntypedWindowStore : IStateStore
{
    object? Fetch(object key, long windowStartMs);
    void Put(object key, object? value, long windowStartMs);
    IEnumerable<(long Timestamp, object Value)> FetchObjects(object key, long fromMs, long toMs);
}
