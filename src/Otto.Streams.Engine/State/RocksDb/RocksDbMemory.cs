using Otto.Streams.State.RocksDb.Native;

namespace Otto.Streams.State.RocksDb;

/// <summary>
/// The memory budget shared by every RocksDB store given this instance: by default one per
/// <see cref="KafkaStream"/> (sized by <see cref="StreamConfig.RocksDbBlockCacheBytes"/> and
/// <see cref="StreamConfig.RocksDbWriteBufferBytes"/>), so memory does not grow with the number of stores.
/// <para>Bounded: (1) one LRU block cache of <see cref="BlockCacheBytes"/> holds the data blocks read
/// from disk and, because index and filter blocks are cached too, the table indexes and filters of every
/// store; the limit is soft: blocks pinned by open iterators can exceed it briefly. (2) Memtables: RocksDB
/// 7.8's C API has no WriteBufferManager, so the budget is shared by hand: with n open stores each gets
/// <c>write_buffer_size = WriteBufferBytes / (2n)</c> and at most 2 memtables, re-applied to every store
/// when one opens or closes (a change takes effect at each store's next memtable switch). Below a floor of
/// <see cref="MinMemtableBytes"/> per memtable (more than WriteBufferBytes / 128 KiB stores) the floor wins
/// and the budget is exceeded.</para>
/// <para>Not bounded: iterator-pinned blocks beyond the cache, compaction and WAL buffers, managed copies
/// of keys and values.</para>
/// </summary>
public sealed class RocksDbMemory : IDisposable
{
    /// <summary>Default block cache size: 64 MiB.</summary>
    public const long DefaultBlockCacheBytes = 64L << 20;

    /// <summary>Default total memtable budget: 32 MiB.</summary>
    public const long DefaultWriteBufferBytes = 32L << 20;

    /// <summary>The smallest memtable a store is given, however many stores share the budget: 64 KiB.</summary>
    public const long MinMemtableBytes = 64L << 10;

    private readonly CacheHandle _cache;
    private readonly List<RocksDbKeyValueStore> _stores = [];
    private readonly Lock _lock = new();
    private int _reserved;

    /// <summary>Creates a budget: one block cache of <paramref name="blockCacheBytes"/> and memtables
    /// totalling about <paramref name="writeBufferBytes"/> across all stores using it.</summary>
    public RocksDbMemory(long blockCacheBytes = DefaultBlockCacheBytes, long writeBufferBytes = DefaultWriteBufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockCacheBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(writeBufferBytes, 2 * MinMemtableBytes);
        BlockCacheBytes = blockCacheBytes;
        WriteBufferBytes = writeBufferBytes;
        try { _cache = new CacheHandle((nuint)blockCacheBytes); }
        catch (DllNotFoundException e) { throw NativeLibraryLoader.Missing(e, null); }
    }

    /// <summary>Capacity of the shared block cache.</summary>
    public long BlockCacheBytes { get; }

    /// <summary>Total memtable budget shared by the stores.</summary>
    public long WriteBufferBytes { get; }

    /// <summary>Bytes currently held in the shared block cache.</summary>
    public long BlockCacheUsage => (long)RocksDbNative.rocksdb_cache_get_usage(_cache);

    /// <summary>Number of open stores sharing this budget.</summary>
    public int OpenStores
    {
        get { lock (_lock) return _stores.Count; }
    }

    /// <summary>The memtable size each open store is currently given.</summary>
    public long MemtableBytesPerStore
    {
        get { lock (_lock) return MemtableBytesFor(Math.Max(_reserved, 1)); }
    }

    internal CacheHandle Cache => _cache;

    private long MemtableBytesFor(int stores) => Math.Max(MinMemtableBytes, WriteBufferBytes / (2L * stores));

    /// <summary>Reserves a share for a store about to open; returns its memtable size.</summary>
    internal long Reserve()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_cache.IsClosed, this);
            return MemtableBytesFor(++_reserved);
        }
    }

    /// <summary>Undoes <see cref="Reserve"/> for a store that failed to open.</summary>
    internal void CancelReservation()
    {
        lock (_lock) _reserved--;
    }

    /// <summary>Adds an opened store and shrinks everyone's share.</summary>
    internal void Attach(RocksDbKeyValueStore store)
    {
        lock (_lock)
        {
            _stores.Add(store);
            Rebalance();
        }
    }

    /// <summary>Removes an opened store (attached or not) before it closes its database and grows the others' share.</summary>
    internal void Detach(RocksDbKeyValueStore store)
    {
        lock (_lock)
        {
            _stores.Remove(store);
            _reserved--;
            Rebalance();
        }
    }

    // Attached stores have open databases: a store detaches (under this lock) before it closes.
    private void Rebalance()
    {
        var bytes = MemtableBytesFor(Math.Max(_reserved, 1));
        foreach (var store in _stores) store.SetMemtableBytes(bytes);
    }

    /// <summary>Releases this handle on the block cache; stores still open keep using it until they close.</summary>
    public void Dispose() => _cache.Dispose();
}
