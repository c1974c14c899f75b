namespace Otto.Streams.State;

/// <summary>
/// The in-memory bytes store: a sorted map, so range scans work as on RocksDB. Iterators read a snapshot
/// taken when they are opened, so writes during a scan (a punctuation updating the entries it visits) are
/// safe and not seen by that scan.
/// </summary>
public sealed class InMemoryKeyValueStore(string name) : IKeyValueStore<Bytes, byte[]>
{
    private readonly SortedDictionary<Bytes, byte[]> _map = new();

    /// <inheritdoc />
    public string Name { get; } = name;

    /// <inheritdoc />
    public bool Persistent => false;

    /// <inheritdoc />
    public bool IsOpen { get; private set; }

    /// <inheritdoc />
    public void Init(IStateStoreContext context)
    {
        context.Register(this, (key, value) =>
        {
            if (value is null) _map.Remove(key);
            else _map[key] = value;
        });
        IsOpen = true;
    }

    /// <inheritdoc />
    public byte[]? Get(Bytes key) => _map.GetValueOrDefault(key);

    /// <inheritdoc />
    public void Put(Bytes key, byte[]? value)
    {
        if (value is null) _map.Remove(key);
        else _map[key] = value;
    }

    /// <inheritdoc />
    public byte[]? PutIfAbsent(Bytes key, byte[] value)
    {
        if (_map.TryGetValue(key, out var existing)) return existing;
        _map[key] = value;
        return null;
    }

    /// <inheritdoc />
    public void PutAll(IEnumerable<KeyValuePair<Bytes, byte[]?>> entries)
    {
        foreach (var (k, v) in entries) Put(k, v);
    }

    /// <inheritdoc />
    public byte[]? Delete(Bytes key) => _map.Remove(key, out var old) ? old : null;

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> Range(Bytes from, Bytes to) =>
        new KeyValueIterator<Bytes, byte[]>(_map.Where(kv => kv.Key.CompareTo(from) >= 0 && kv.Key.CompareTo(to) <= 0).ToList());

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> All() => new KeyValueIterator<Bytes, byte[]>(_map.ToList());

    /// <inheritdoc />
    public long ApproximateNumEntries() => _map.Count;

    /// <inheritdoc />
    public void Flush() { }

    /// <inheritdoc />
    public void Close()
    {
        _map.Clear();
        IsOpen = false;
    }
}
