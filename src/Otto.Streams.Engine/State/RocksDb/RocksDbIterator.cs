using System.Collections;
using Otto.Streams.State.RocksDb.Native;
using Otto.Streams.State;
using static Otto.Streams.State.RocksDb.Native.RocksDbNative;

namespace Otto.Streams.State.RocksDb;

/// <summary>
/// One pass over a bounded key range of a RocksDB store. The native iterator is created with this object,
/// so it sees the store as of that moment (RocksDB pins that version); later writes are not seen.
/// Enumerate once, then dispose; after dispose (or the store's close) enumeration throws
/// <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed unsafe class RocksDbIterator : IKeyValueIterator<Bytes, byte[]>
{
    private readonly RocksDbKeyValueStore _store;
    private readonly IteratorHandle? _handle; // null: an empty range
    private readonly bool _reverse;
    private int _enumerated;
    private volatile bool _disposed;

    private RocksDbIterator(RocksDbKeyValueStore store, IteratorHandle? handle, bool reverse)
    {
        _store = store;
        _handle = handle;
        _reverse = reverse;
    }

    public static RocksDbIterator Empty(RocksDbKeyValueStore store) => new(store, null, false);

    /// <summary>An iterator over <paramref name="lower"/> ≤ key &lt; <paramref name="upperExclusive"/> (null: unbounded).</summary>
    public static RocksDbIterator Create(RocksDbKeyValueStore store, DbHandle db, byte[]? lower, byte[]? upperExclusive, bool reverse)
    {
        var readOptions = ReadOptionsHandle.WithBounds(lower, upperExclusive);
        try
        {
            return new RocksDbIterator(store, IteratorHandle.Create(db, readOptions), reverse);
        }
        finally
        {
            // The iterator handle holds its own reference; the options are freed after the iterator.
            readOptions.Dispose();
        }
    }

    public IEnumerator<KeyValuePair<Bytes, byte[]>> GetEnumerator()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
            throw new InvalidOperationException("A store iterator can be enumerated only once");
        return Enumerate();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<KeyValuePair<Bytes, byte[]>> Enumerate()
    {
        if (_handle is null) yield break;
        var first = true;
        while (Step(first, out var entry))
        {
            first = false;
            yield return entry;
        }
    }

    // One reference on the handle spans the move and the copies: key and value point into iterator memory.
    private bool Step(bool first, out KeyValuePair<Bytes, byte[]> entry)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var added = false;
        try
        {
            _handle!.DangerousAddRef(ref added);
            var it = _handle.DangerousGetHandle();
            if (first)
            {
                if (_reverse) rocksdb_iter_seek_to_last(it);
                else rocksdb_iter_seek_to_first(it);
            }
            else if (_reverse) rocksdb_iter_prev(it);
            else rocksdb_iter_next(it);

            if (rocksdb_iter_valid(it) == 0)
            {
                nint error = 0;
                rocksdb_iter_get_error(it, &error);
                NativeError.ThrowIfSet(error, $"iterate store '{_store.Name}'", _store.DirectoryPath);
                entry = default;
                return false;
            }
            nuint keyLength = 0, valueLength = 0;
            var key = rocksdb_iter_key(it, &keyLength);
            var value = rocksdb_iter_value(it, &valueLength);
            entry = new(new Bytes(new ReadOnlySpan<byte>(key, checked((int)keyLength)).ToArray()),
                new ReadOnlySpan<byte>(value, checked((int)valueLength)).ToArray());
            return true;
        }
        finally
        {
            if (added) _handle!.DangerousRelease();
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _handle?.Dispose();
        _store.Forget(this);
    }
}
