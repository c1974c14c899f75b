using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Otto.Streams.State.RocksDb.Native.RocksDbNative;

namespace Otto.Streams.State.RocksDb.Native;

/// <summary>Base of every RocksDB handle: owns one native object, freed exactly once when the last
/// reference is released (dispose, or the finalizer as a last resort).</summary>
internal abstract class RocksDbHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    protected RocksDbHandle(nint pointer, string what) : base(ownsHandle: true)
    {
        if (pointer == 0) throw new RocksDbException($"RocksDB could not create {what}", $"{what} returned null", null);
        SetHandle(pointer);
    }
}

internal sealed class OptionsHandle() : RocksDbHandle(rocksdb_options_create(), "options")
{
    protected override bool ReleaseHandle() { rocksdb_options_destroy(handle); return true; }
}

internal sealed class BlockBasedTableOptionsHandle() : RocksDbHandle(rocksdb_block_based_options_create(), "block-based table options")
{
    protected override bool ReleaseHandle() { rocksdb_block_based_options_destroy(handle); return true; }
}

internal sealed class WriteOptionsHandle() : RocksDbHandle(rocksdb_writeoptions_create(), "write options")
{
    protected override bool ReleaseHandle() { rocksdb_writeoptions_destroy(handle); return true; }
}

internal sealed class WriteBatchHandle() : RocksDbHandle(rocksdb_writebatch_create(), "a write batch")
{
    protected override bool ReleaseHandle() { rocksdb_writebatch_destroy(handle); return true; }
}

/// <summary>An LRU block cache. The C wrapper holds a shared pointer: tables that use the cache keep it
/// alive after this handle is gone.</summary>
internal sealed class CacheHandle(nuint capacity) : RocksDbHandle(rocksdb_cache_create_lru(capacity), "an LRU cache")
{
    protected override bool ReleaseHandle() { rocksdb_cache_destroy(handle); return true; }
}

/// <summary>Read options, optionally with iteration bounds. The C API stores only pointers to the bound
/// bytes, so this handle owns native copies and frees them after the options.</summary>
internal sealed unsafe class ReadOptionsHandle : RocksDbHandle
{
    private byte* _lower;
    private byte* _upper;

    public ReadOptionsHandle() : base(rocksdb_readoptions_create(), "read options") { }

    /// <summary>Read options bounding iteration to <paramref name="lower"/> ≤ key &lt; <paramref name="upper"/> (null: unbounded).
    /// An unbounded scan reads the whole store: it does not fill the block cache, so a sweep does not evict
    /// the blocks point reads keep hot.</summary>
    public static ReadOptionsHandle WithBounds(byte[]? lower, byte[]? upper)
    {
        var options = new ReadOptionsHandle();
        try
        {
            if (lower is null && upper is null) rocksdb_readoptions_set_fill_cache(options, 0);
            if (lower is not null)
            {
                options._lower = Copy(lower);
                rocksdb_readoptions_set_iterate_lower_bound(options, options._lower, (nuint)lower.Length);
            }
            if (upper is not null)
            {
                options._upper = Copy(upper);
                rocksdb_readoptions_set_iterate_upper_bound(options, options._upper, (nuint)upper.Length);
            }
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    // One byte more than needed so an empty bound still gets a real, non-null pointer.
    private static byte* Copy(byte[] bytes)
    {
        var copy = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(copy, bytes.Length));
        return copy;
    }

    protected override bool ReleaseHandle()
    {
        rocksdb_readoptions_destroy(handle);
        NativeMemory.Free(_lower);
        NativeMemory.Free(_upper);
        return true;
    }
}

/// <summary>An open database. Closed when the last reference goes: iterators hold one (see <see cref="IteratorHandle"/>).</summary>
internal sealed class DbHandle(nint pointer) : RocksDbHandle(pointer, "a database")
{
    protected override bool ReleaseHandle() { rocksdb_close(handle); return true; }
}

/// <summary>
/// An iterator. It must be destroyed before its database and its read options (which point at its
/// bounds), so it holds a reference on both: whatever order dispose or finalization runs in, the native
/// iterator is freed first.
/// </summary>
internal sealed class IteratorHandle : RocksDbHandle
{
    private readonly SafeHandle _db;
    private readonly SafeHandle _readOptions;

    private IteratorHandle(nint pointer, SafeHandle db, SafeHandle readOptions) : base(pointer, "an iterator")
    {
        _db = db;
        _readOptions = readOptions;
    }

    /// <summary>Creates an iterator: it sees the database as it is now, whatever is written later.</summary>
    public static IteratorHandle Create(DbHandle db, ReadOptionsHandle readOptions)
    {
        bool dbRef = false, optionsRef = false;
        try
        {
            db.DangerousAddRef(ref dbRef); // throws ObjectDisposedException once the store is closed
            readOptions.DangerousAddRef(ref optionsRef);
            var pointer = rocksdb_create_iterator(db.DangerousGetHandle(), readOptions.DangerousGetHandle());
            return new IteratorHandle(pointer, db, readOptions);
        }
        catch
        {
            if (optionsRef) readOptions.DangerousRelease();
            if (dbRef) db.DangerousRelease();
            throw;
        }
    }

    protected override bool ReleaseHandle()
    {
        rocksdb_iter_destroy(handle);
        _readOptions.DangerousRelease();
        _db.DangerousRelease();
        return true;
    }
}

/// <summary>A checkpoint object. It points at its database, so like an iterator it holds a reference on it.</summary>
internal sealed unsafe class CheckpointHandle : RocksDbHandle
{
    private readonly SafeHandle _db;

    private CheckpointHandle(nint pointer, SafeHandle db) : base(pointer, "a checkpoint") => _db = db;

    public static CheckpointHandle Create(DbHandle db, string what, string? path)
    {
        var dbRef = false;
        try
        {
            db.DangerousAddRef(ref dbRef);
            nint error = 0;
            var pointer = rocksdb_checkpoint_object_create(db.DangerousGetHandle(), &error);
            NativeError.ThrowIfSet(error, what, path);
            return new CheckpointHandle(pointer, db);
        }
        catch
        {
            if (dbRef) db.DangerousRelease();
            throw;
        }
    }

    protected override bool ReleaseHandle()
    {
        rocksdb_checkpoint_object_destroy(handle);
        _db.DangerousRelease();
        return true;
    }
}
