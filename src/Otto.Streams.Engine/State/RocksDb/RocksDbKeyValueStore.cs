using System.Globalization;
using Otto.Streams.SerDes;
using Otto.Streams.State.RocksDb.Native;
using Otto.Streams.State;
using static Otto.Streams.State.RocksDb.Native.RocksDbNative;

namespace Otto.Streams.State.RocksDb;

/// <summary>
/// A persistent bytes store in one RocksDB database at <c>&lt;task state dir&gt;/&lt;store name&gt;</c>.
/// Keys are ordered as unsigned bytes (RocksDB's default comparator), like <see cref="Bytes"/>.
/// Iterators see the store as it was when they were created and hold native resources: dispose them;
/// <see cref="Close"/> disposes any still open before it closes the database.
/// Written by one task thread; interactive queries read from other threads (RocksDB serves concurrent reads, and
/// the restored records still batched are written under a lock); a read racing <see cref="Close"/> gets
/// <see cref="ObjectDisposedException"/>, never freed native memory.
/// </summary>
public sealed unsafe class RocksDbKeyValueStore : IKeyValueStore<Bytes, byte[]>, IDisposable
{
    private RocksDbMemory? _memory;
    private readonly HashSet<RocksDbIterator> _iterators = [];
    private readonly Lock _iteratorsLock = new();
    private DbHandle? _db;
    private ReadOptionsHandle? _readOptions;
    private WriteOptionsHandle? _writeOptions;
    private long _memtableBytes;
    private bool _closed;

    /// <summary>Creates an unopened store; <paramref name="memory"/> defaults to the budget of the instance
    /// that opens it (<see cref="IStateStoreContext.StoreMemory"/>).</summary>
    public RocksDbKeyValueStore(string name, RocksDbMemory? memory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _memory = memory;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool Persistent => true;

    /// <inheritdoc />
    public bool IsOpen => _db is not null && !_closed;

    /// <summary>The database directory, set by <see cref="Init"/>.</summary>
    public string? DirectoryPath { get; private set; }

    /// <inheritdoc />
    public void Init(IStateStoreContext context)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_db is not null) throw new InvalidOperationException($"Store {Name} is already open");
        var path = Path.Combine(context.StateDirectory, Name);
        _memory ??= context.StoreMemory;
        Open(path);
        try
        {
            _memory.Attach(this);
            context.Register(this, Restore);
        }
        catch
        {
            Close();
            throw;
        }
    }

    private void Open(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RocksDbException($"Cannot create the directory of RocksDB store '{Name}' at {path}: {e.Message}", e.Message, path, e);
        }

        var memtableBytes = _memory!.Reserve();
        try
        {
            using var options = StoreOptions.Create(_memory, memtableBytes);
            nint error = 0;
            var db = rocksdb_open(options, path, &error);
            NativeError.ThrowIfSet(error, $"open store '{Name}' at {path}", path);
            _db = new DbHandle(db);
            _readOptions = new ReadOptionsHandle();
            _writeOptions = new WriteOptionsHandle();
        }
        catch (DllNotFoundException e)
        {
            _memory.CancelReservation();
            throw NativeLibraryLoader.Missing(e, path);
        }
        catch
        {
            _memory.CancelReservation();
            DisposeNative();
            _db = null;
            throw;
        }
        _memtableBytes = memtableBytes;
        DirectoryPath = path;
    }

    /// <summary>Restored records are gathered in a write batch, written every <see cref="RestoreBatchRecords"/>
    /// records and before any other use of the store (see <see cref="Db"/>): one write per batch instead of
    /// one per record. A crash loses only what the checkpoint does not claim.</summary>
    private const int RestoreBatchRecords = 10_000;

    private WriteBatchHandle? _restoreBatch;
    private int _restoreBatchCount;
    // The first use after restoration writes the batch; a query thread may be that first use, beside the task's.
    private readonly Lock _restoreBatchLock = new();

    private void Restore(byte[] key, byte[]? value)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _restoreBatch ??= new WriteBatchHandle();
        AddToBatch(_restoreBatch, key, value);
        if (++_restoreBatchCount >= RestoreBatchRecords) WriteRestoreBatch(_db!);
    }

    private void WriteRestoreBatch(DbHandle db)
    {
        using var batch = _restoreBatch!;
        _restoreBatch = null;
        _restoreBatchCount = 0;
        nint error = 0;
        rocksdb_write(db, _writeOptions!, batch, &error);
        NativeError.ThrowIfSet(error, $"write restored records to store '{Name}'", DirectoryPath);
    }

    private static void AddToBatch(WriteBatchHandle batch, byte[] key, byte[]? value)
    {
        fixed (byte* k = key)
        {
            if (value is null)
                rocksdb_writebatch_delete(batch, k, (nuint)key.Length);
            else
                fixed (byte* v = value)
                    rocksdb_writebatch_put(batch, k, (nuint)key.Length, v, (nuint)value.Length);
        }
    }

    // Every operation goes through here, so it sees the restored records still in the batch.
    private DbHandle Db
    {
        get
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            var db = _db ?? throw new InvalidOperationException($"Store {Name} is not initialized");
            if (_restoreBatch is not null)
                lock (_restoreBatchLock)
                    if (_restoreBatch is not null) WriteRestoreBatch(db);
            return db;
        }
    }

    /// <inheritdoc />
    public byte[]? Get(Bytes key)
    {
        var db = Db;
        nint error = 0;
        nint slice;
        fixed (byte* k = key.Data)
            slice = rocksdb_get_pinned(db, _readOptions!, k, (nuint)key.Data.Length, &error);
        NativeError.ThrowIfSet(error, $"read from store '{Name}'", DirectoryPath);
        if (slice == 0) return null; // not found
        try
        {
            nuint length = 0;
            var value = rocksdb_pinnableslice_value(slice, &length);
            return new ReadOnlySpan<byte>(value, checked((int)length)).ToArray();
        }
        finally { rocksdb_pinnableslice_destroy(slice); }
    }

    /// <inheritdoc />
    public void Put(Bytes key, byte[]? value)
    {
        if (value is null)
        {
            DeleteKey(key);
            return;
        }
        var db = Db;
        nint error = 0;
        fixed (byte* k = key.Data)
        fixed (byte* v = value)
            rocksdb_put(db, _writeOptions!, k, (nuint)key.Data.Length, v, (nuint)value.Length, &error);
        NativeError.ThrowIfSet(error, $"write to store '{Name}'", DirectoryPath);
    }

    /// <inheritdoc />
    public byte[]? PutIfAbsent(Bytes key, byte[] value)
    {
        var existing = Get(key);
        if (existing is null) Put(key, value);
        return existing;
    }

    /// <summary>Writes all entries (null values delete) in one atomic RocksDB write batch: all or nothing.</summary>
    public void PutAll(IEnumerable<KeyValuePair<Bytes, byte[]?>> entries)
    {
        var db = Db;
        using var batch = new WriteBatchHandle();
        foreach (var (key, value) in entries) AddToBatch(batch, key.Data, value);
        nint error = 0;
        rocksdb_write(db, _writeOptions!, batch, &error);
        NativeError.ThrowIfSet(error, $"write a batch to store '{Name}'", DirectoryPath);
    }

    /// <inheritdoc />
    public byte[]? Delete(Bytes key)
    {
        var old = Get(key);
        DeleteKey(key);
        return old;
    }

    private void DeleteKey(Bytes key)
    {
        var db = Db;
        nint error = 0;
        fixed (byte* k = key.Data)
            rocksdb_delete(db, _writeOptions!, k, (nuint)key.Data.Length, &error);
        NativeError.ThrowIfSet(error, $"delete from store '{Name}'", DirectoryPath);
    }

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> Range(Bytes from, Bytes to) => Scan(from, to, reverse: false);

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> ReverseRange(Bytes from, Bytes to) => Scan(from, to, reverse: true);

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> All() => Open(null, null, reverse: false);

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> ReverseAll() => Open(null, null, reverse: true);

    /// <inheritdoc />
    public IKeyValueIterator<Bytes, byte[]> PrefixScan<P>(P prefix, ISerDes<P> prefixSerDes)
    {
        var bytes = prefixSerDes.Serialize(prefix, default);
        return Open(bytes.Length == 0 ? null : bytes, KeyBounds.PrefixEnd(bytes), reverse: false);
    }

    private IKeyValueIterator<Bytes, byte[]> Scan(Bytes from, Bytes to, bool reverse) =>
        // An inverted range is empty, as in the in-memory store.
        from.CompareTo(to) > 0 ? Open(null, null, reverse, empty: true) : Open(from.Data, KeyBounds.After(to.Data), reverse);

    private RocksDbIterator Open(byte[]? lower, byte[]? upperExclusive, bool reverse, bool empty = false)
    {
        var db = Db;
        var iterator = empty ? RocksDbIterator.Empty(this) : RocksDbIterator.Create(this, db, lower, upperExclusive, reverse);
        lock (_iteratorsLock) _iterators.Add(iterator);
        return iterator;
    }

    internal void Forget(RocksDbIterator iterator)
    {
        lock (_iteratorsLock) _iterators.Remove(iterator);
    }

    /// <summary>The "rocksdb.estimate-num-keys" property: exact for inserts, approximate once keys are
    /// overwritten or deleted (until compaction).</summary>
    public long ApproximateNumEntries()
    {
        ulong value = 0;
        if (rocksdb_property_int(Db, "rocksdb.estimate-num-keys", &value) != 0)
            throw new RocksDbException($"RocksDB store '{Name}' has no rocksdb.estimate-num-keys property", "unknown property", DirectoryPath);
        return (long)Math.Min(value, long.MaxValue);
    }

    /// <summary>
    /// Makes every write so far durable by syncing the write-ahead log. Writes go to the WAL unsynced and
    /// are synced here, at commit: that makes the store itself crash-safe up to the last commit, costs one
    /// fsync per commit, and leaves memtable-to-SST flushes to RocksDB (when a memtable fills), instead of
    /// Kafka Streams' WAL-off plus rocksdb_flush per commit, which writes a small SST file on every commit.
    /// </summary>
    public void Flush()
    {
        nint error = 0;
        rocksdb_flush_wal(Db, 1, &error);
        NativeError.ThrowIfSet(error, $"sync the write-ahead log of store '{Name}'", DirectoryPath);
    }

    /// <summary>
    /// Writes a consistent copy of the store to <paramref name="directory"/> (which must not exist yet; its
    /// parent is created), openable as a store directory: table files are hard-linked when on the same file
    /// system, and memtables are flushed first so the copy does not depend on the write-ahead log.
    /// </summary>
    public void Checkpoint(string directory)
    {
        var db = Db;
        var what = $"checkpoint store '{Name}' to {directory}";
        if (Path.GetDirectoryName(Path.GetFullPath(directory)) is { } parent) Directory.CreateDirectory(parent);
        using var checkpoint = CheckpointHandle.Create(db, what, DirectoryPath);
        nint error = 0;
        rocksdb_checkpoint_create(checkpoint, directory, 0, &error); // 0: always flush memtables first
        NativeError.ThrowIfSet(error, what, DirectoryPath);
    }

    internal void SetMemtableBytes(long bytes)
    {
        if (bytes == _memtableBytes || _db is null) return;
        nint error = 0;
        rocksdb_set_options(_db, 1, ["write_buffer_size"], [bytes.ToString(CultureInfo.InvariantCulture)], &error);
        NativeError.ThrowIfSet(error, $"resize the memtable of store '{Name}'", DirectoryPath);
        _memtableBytes = bytes;
    }

    /// <summary>Closes open iterators, then the database. Idempotent; later use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        if (_db is not null) _memory!.Detach(this);
        RocksDbIterator[] open;
        lock (_iteratorsLock)
        {
            open = [.. _iterators];
            _iterators.Clear();
        }
        foreach (var iterator in open) iterator.Dispose();
        _restoreBatch?.Dispose(); // not flushed: the checkpoint does not claim it
        DisposeNative();
    }

    private void DisposeNative()
    {
        _readOptions?.Dispose();
        _writeOptions?.Dispose();
        _db?.Dispose(); // closes the database: no iterator holds a reference any more
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();
}
