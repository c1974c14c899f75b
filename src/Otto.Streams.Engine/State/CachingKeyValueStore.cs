using Otto.Streams.SerDes;

namespace Otto.Streams.State;

/// <summary>What a store's task offers its record cache: the bound, and a registry so the test driver can
/// flush caches after every record without syncing the stores themselves.</summary>
internal interface IStoreCacheContext
{
    /// <summary>Most bytes (keys + values + a fixed overhead per entry) one store's cache holds; 0 disables caching.</summary>
    long CacheMaxBytes { get; }

    /// <summary>Called once by each caching store when it opens.</summary>
    void AddCache(CachingKeyValueStore cache);
}

/// <summary>
/// Bytes-store layer holding writes in memory until the next commit, as Kafka Streams' record cache
/// (<c>statestore.cache.max.bytes</c>): a key written many times between two commits reaches the store
/// beneath (and its changelog) once, with its latest value.
/// <para>Put/Delete go to an insertion-ordered dirty map (value, or null for a deletion); Get reads it first.
/// <see cref="Flush"/> writes every dirty entry to the inner store, oldest first, then flushes the inner store;
/// the task flushes its stores before it sends its output, checkpoints and commits offsets, so no changelog
/// record lags behind a committed offset or a checkpoint. Over the bound the oldest entries are written down early.
/// Scans merge a sorted copy of the dirty entries in range over the inner store's iterator (both taken under
/// the lock, so they agree): interactive queries read from other threads, and a scan must not write.</para>
/// <para><see cref="Close"/> drops what was not flushed: a clean task close flushes its stores first; after an
/// error or a lost partition the unflushed writes belong to uncommitted input that is processed again
/// (at-least-once) or to an aborted transaction whose store is rebuilt from the changelog (exactly-once).</para>
/// </summary>
internal sealed class CachingKeyValueStore(IKeyValueStore<Bytes, byte[]> inner) : IKeyValueStore<Bytes, byte[]>
{
    /// <summary>Bytes counted per entry besides its key and value: the map and list nodes.</summary>
    internal const int EntryOverhead = 64;

    // Taken by the task's thread for every operation and by interactive queries' threads for reads; uncontended
    // but for queries.
    private readonly Lock _lock = new();
    private readonly Dictionary<Bytes, LinkedListNode<KeyValuePair<Bytes, byte[]?>>> _dirty = [];
    private readonly LinkedList<KeyValuePair<Bytes, byte[]?>> _order = new();
    private long _maxBytes = StreamConfig.DefaultStatestoreCacheMaxBytes;

    public string Name => inner.Name;
    public bool Persistent => inner.Persistent;
    public bool IsOpen => inner.IsOpen;

    /// <summary>Bytes the dirty entries take, as counted against the bound.</summary>
    internal long CachedBytes { get; private set; }

    /// <summary>Number of dirty entries.</summary>
    internal int CachedEntries
    {
        get { lock (_lock) return _dirty.Count; }
    }

    public void Init(IStateStoreContext context)
    {
        if (context is IStoreCacheContext caches)
        {
            _maxBytes = caches.CacheMaxBytes;
            caches.AddCache(this);
        }
        inner.Init(context);
    }

    public byte[]? Get(Bytes key)
    {
        lock (_lock) return _dirty.TryGetValue(key, out var node) ? node.Value.Value : inner.Get(key);
    }

    public void Put(Bytes key, byte[]? value)
    {
        lock (_lock) PutLocked(key, value);
    }

    private void PutLocked(Bytes key, byte[]? value)
    {
        if (_maxBytes <= 0)
        {
            inner.Put(key, value);
            return;
        }
        if (_dirty.Remove(key, out var old))
        {
            CachedBytes -= Size(old.Value);
            _order.Remove(old);
        }
        var entry = new KeyValuePair<Bytes, byte[]?>(key, value);
        _dirty[key] = _order.AddLast(entry);
        CachedBytes += Size(entry);
        while (CachedBytes > _maxBytes && _order.First is { } oldest) WriteDown(oldest);
    }

    public byte[]? PutIfAbsent(Bytes key, byte[] value)
    {
        lock (_lock)
        {
            var existing = _dirty.TryGetValue(key, out var node) ? node.Value.Value : inner.Get(key);
            if (existing is null) PutLocked(key, value);
            return existing;
        }
    }

    public void PutAll(IEnumerable<KeyValuePair<Bytes, byte[]?>> entries)
    {
        var batch = entries.ToList(); // a source that throws part way writes nothing
        lock (_lock)
            foreach (var (key, value) in batch) PutLocked(key, value);
    }

    public byte[]? Delete(Bytes key)
    {
        lock (_lock)
        {
            var old = _dirty.TryGetValue(key, out var node) ? node.Value.Value : inner.Get(key);
            PutLocked(key, null);
            return old;
        }
    }

    public IKeyValueIterator<Bytes, byte[]> Range(Bytes from, Bytes to) =>
        Merged(k => k.CompareTo(from) >= 0 && k.CompareTo(to) <= 0, () => inner.Range(from, to), reverse: false);

    public IKeyValueIterator<Bytes, byte[]> ReverseRange(Bytes from, Bytes to) =>
        Merged(k => k.CompareTo(from) >= 0 && k.CompareTo(to) <= 0, () => inner.ReverseRange(from, to), reverse: true);

    public IKeyValueIterator<Bytes, byte[]> All() => Merged(_ => true, inner.All, reverse: false);
    public IKeyValueIterator<Bytes, byte[]> ReverseAll() => Merged(_ => true, inner.ReverseAll, reverse: true);

    public IKeyValueIterator<Bytes, byte[]> PrefixScan<P>(P prefix, ISerDes<P> prefixSerDes)
    {
        var start = prefixSerDes.Serialize(prefix, default);
        return Merged(k => k.Data.AsSpan().StartsWith(start), () => inner.PrefixScan(prefix, prefixSerDes), reverse: false);
    }

    /// <summary>The inner store's estimate plus the dirty entries (some of which may already be counted there).</summary>
    public long ApproximateNumEntries()
    {
        lock (_lock) return inner.ApproximateNumEntries() + _dirty.Count;
    }

    public void Flush()
    {
        lock (_lock)
        {
            FlushCacheLocked();
            inner.Flush();
        }
    }

    /// <summary>Writes every dirty entry to the inner store, oldest first, without syncing the inner store.</summary>
    internal void FlushCache()
    {
        lock (_lock) FlushCacheLocked();
    }

    private void FlushCacheLocked()
    {
        while (_order.First is { } oldest) WriteDown(oldest);
    }

    public void Close()
    {
        lock (_lock)
        {
            _dirty.Clear();
            _order.Clear();
            CachedBytes = 0;
            inner.Close();
        }
    }

    // Removed from the map before it is written: a write that throws fails the task, which then closes dirty.
    private void WriteDown(LinkedListNode<KeyValuePair<Bytes, byte[]?>> node)
    {
        var (key, value) = node.Value;
        _order.Remove(node);
        _dirty.Remove(key);
        CachedBytes -= Size(node.Value);
        inner.Put(key, value);
    }

    private static long Size(KeyValuePair<Bytes, byte[]?> entry) => entry.Key.Data.Length + (entry.Value?.Length ?? 0) + EntryOverhead;

    private KeyValueIterator<Bytes, byte[]> Merged(Func<Bytes, bool> inRange, Func<IKeyValueIterator<Bytes, byte[]>> scanInner, bool reverse)
    {
        lock (_lock)
        {
            var dirty = _dirty.Keys.Where(inRange).Select(k => _dirty[k].Value).ToList();
            dirty.Sort((a, b) => reverse ? b.Key.CompareTo(a.Key) : a.Key.CompareTo(b.Key));
            var below = scanInner();
            return new(Merge(below, dirty, reverse), below.Dispose);
        }
    }

    /// <summary>The inner entries with the dirty ones laid over: a dirty value replaces the inner one, a dirty
    /// deletion hides it. Both sequences are sorted in the scan's direction.</summary>
    private static IEnumerable<KeyValuePair<Bytes, byte[]>> Merge(IKeyValueIterator<Bytes, byte[]> below, List<KeyValuePair<Bytes, byte[]?>> dirty, bool reverse)
    {
        using var e = below.GetEnumerator();
        var more = e.MoveNext();
        var i = 0;
        while (more || i < dirty.Count)
        {
            var order = !more ? 1 : i >= dirty.Count ? -1 : e.Current.Key.CompareTo(dirty[i].Key) * (reverse ? -1 : 1);
            if (order < 0)
            {
                yield return e.Current;
                more = e.MoveNext();
                continue;
            }
            var (key, value) = dirty[i++];
            if (order == 0) more = e.MoveNext();
            if (value is not null) yield return new(key, value);
        }
    }
}
