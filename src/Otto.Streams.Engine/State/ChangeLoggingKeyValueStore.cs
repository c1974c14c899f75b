using Otto.Streams.SerDes;

namespace Otto.Streams.State;

/// <summary>Bytes-store layer that writes every change to the store's changelog topic, so another instance
/// (or this one after a crash) can rebuild the store by replaying it.</summary>
internal sealed class ChangeLoggingKeyValueStore(IKeyValueStore<Bytes, byte[]> inner) : IKeyValueStore<Bytes, byte[]>
{
    private IStateStoreContext? _context;

    public string Name => inner.Name;
    public bool Persistent => inner.Persistent;
    public bool IsOpen => inner.IsOpen;

    public void Init(IStateStoreContext context)
    {
        _context = context;
        inner.Init(context);
    }

    private void Log(Bytes key, byte[]? value) =>
        (_context ?? throw new InvalidOperationException($"Store {Name} is not initialized")).LogChange(Name, key.Data, value);

    public byte[]? Get(Bytes key) => inner.Get(key);

    public void Put(Bytes key, byte[]? value)
    {
        inner.Put(key, value);
        Log(key, value);
    }

    public byte[]? PutIfAbsent(Bytes key, byte[] value)
    {
        var existing = inner.PutIfAbsent(key, value);
        if (existing is null) Log(key, value);
        return existing;
    }

    public void PutAll(IEnumerable<KeyValuePair<Bytes, byte[]?>> entries)
    {
        var list = entries.ToList();
        inner.PutAll(list);
        foreach (var (k, v) in list) Log(k, v);
    }

    public byte[]? Delete(Bytes key)
    {
        var old = inner.Delete(key);
        Log(key, null);
        return old;
    }

    public IKeyValueIterator<Bytes, byte[]> Range(Bytes from, Bytes to) => inner.Range(from, to);
    public IKeyValueIterator<Bytes, byte[]> ReverseRange(Bytes from, Bytes to) => inner.ReverseRange(from, to);
    public IKeyValueIterator<Bytes, byte[]> All() => inner.All();
    public IKeyValueIterator<Bytes, byte[]> ReverseAll() => inner.ReverseAll();
    public IKeyValueIterator<Bytes, byte[]> PrefixScan<P>(P prefix, ISerDes<P> prefixSerDes) => inner.PrefixScan(prefix, prefixSerDes);
    public long ApproximateNumEntries() => inner.ApproximateNumEntries();
    public void Flush() => inner.Flush();
    public void Close() => inner.Close();
}
