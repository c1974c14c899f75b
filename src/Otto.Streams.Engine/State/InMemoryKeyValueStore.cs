using Otto.Streams.SerDes;

namespace Otto.Streams.State;

/// <summary>
/// The in-memory bytes store: a sorted key set (for ranges in O(log n + k)) beside a hash map of values.
/// Iterators read a copy of their range taken when they are opened, so writes during a scan (a punctuation
/// updating the entries it visits) are safe and not seen by that scan. Every operation takes one lock (uncontended
/// on the task's thread), so interactive queries may read from other threads; after <see cref="Close"/> they throw
/// <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class InMemoryKeyValueStore(string name) : IKeyValueStore<Bytes, byte[]>
{
    private readonly SortedSet<Bytes> _keys = new();
    private readonly Dictionary<Bytes, byte[]> _values = new();
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public string Name { get; } = name;

    /// <inheritdoc />
    public bool Persistent => false;

    /// <inheritdoc />
    public bool IsOpen { get; private set; }

    /// <inheritdoc />
    public void Init(IStateStoreContext context)
    {
        context.Register(this, (key, value) => Put(key, value));
        IsOpen = true;
    }

    /// <inheritdoc />
    public byte[]? Get(Bytes key)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            return _values.GetValueOrDefault(key);
        }
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(!IsOpen, this);

    /// <inheritdoc />
    public void Put(Bytes key, byte[]? value)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            PutUnlocked(key, value);
        }
    }

    private void PutUnlocked(Bytes key, byte[]? value)
    {
        if (value is null)
        {
            DeleteUnlocked(key);
            return;
        }
        if (_values.TryAdd(key, value)) _keys.Add(key);
        else _values[key] = value;
    }

    /// <inheritdoc />
    public byte[]? PutIfAbsent(Bytes key, byte[] value)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            if (_values.TryGetValue(key, out var existing)) return existing;
            PutUnlocked(key, value);
            return null;
        }
    }

    /// <inheritdoc />
    public void PutAll(IEnumerable<KeyValuePair<Bytes, byte[]?>> entries)
    {
        // Materialized first, so a failing source writes nothing, as RocksDB's single batch.
        var list = entries.ToList();
        lock (_lock)
        {
            ThrowIfClosed();
            foreach (var (k, v) in list) PutUnlocked(k, v);
        }
    }

    /// <inheritdoc />
    public byte[]? Delete(Bytes key)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            return DeleteUnlocked(key);
        }
    }

    private byte[]? DeleteUnlocked(Bytes key)
    {
        if (!_values.Remove(key, out var old)) return null;
        _keys.Remove(key);
        return old;
    }

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> Range(Bytes from, Bytes to) => Snapshot(() => Between(from, to));

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> ReverseRange(Bytes from, Bytes to) => Snapshot(() => Between(from, to).Reverse());

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> All() => Snapshot(() => _keys);

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> ReverseAll() => Snapshot(() => _keys.Reverse());

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> PrefixScan<P>(P prefix, ISerDes<P> prefixSerDes)
    {
        var start = new Bytes(prefixSerDes.Serialize(prefix, default));
        var end = KeyBounds.PrefixEnd(start.Data);
        return Snapshot(() =>
        {
            IEnumerable<Bytes> keys = _keys.Max is { Data: not null } max && start.CompareTo(max) <= 0 ? _keys.GetViewBetween(start, max) : [];
            return end is null ? keys : keys.TakeWhile(k => k.CompareTo(new Bytes(end)) < 0);
        });
    }

    // An inverted range is empty (GetViewBetween would throw).
    private IEnumerable<Bytes> Between(Bytes from, Bytes to) => from.CompareTo(to) > 0 ? [] : _keys.GetViewBetween(from, to);

    private KeyValueIterator<Bytes, byte[]> Snapshot(Func<IEnumerable<Bytes>> keys)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            return new(keys().Select(k => new KeyValuePair<Bytes, byte[]>(k, _values[k])).ToList());
        }
    }

    /// <inheritdoc />
    public long ApproximateNumEntries()
    {
        lock (_lock)
        {
            ThrowIfClosed();
            return _values.Count;
        }
    }

    /// <inheritdoc />
    public void Flush() { }

    /// <inheritdoc />
    public void Close()
    {
        lock (_lock)
        {
            _keys.Clear();
            _values.Clear();
            IsOpen = false;
        }
    }
}
