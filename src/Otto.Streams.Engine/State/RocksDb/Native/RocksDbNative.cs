using System.Runtime.InteropServices;

namespace Otto.Streams.State.RocksDb.Native;

/// <summary>
/// The subset of RocksDB's C API (rocksdb/c.h, 7.8) the stores use. Creation functions return raw
/// pointers that callers wrap at once in a SafeHandle; functions that take a handle type let the
/// marshaller hold a reference for the call, so a concurrent dispose cannot free the object mid-call.
/// Every <c>char** errptr</c> must point at a null pointer; a non-null result is a malloc'd message
/// (see <see cref="NativeError"/>).
/// </summary>
internal static unsafe partial class RocksDbNative
{
    internal const string Library = "rocksdb";

    static RocksDbNative() => NativeLibraryLoader.EnsureRegistered();

    [LibraryImport(Library)] internal static partial void rocksdb_free(nint ptr);

    // Options
    [LibraryImport(Library)] internal static partial nint rocksdb_options_create();
    [LibraryImport(Library)] internal static partial void rocksdb_options_destroy(nint options);
    [LibraryImport(Library)] internal static partial void rocksdb_options_set_create_if_missing(OptionsHandle options, byte value);
    [LibraryImport(Library)] internal static partial void rocksdb_options_set_write_buffer_size(OptionsHandle options, nuint size);
    [LibraryImport(Library)] internal static partial void rocksdb_options_set_max_write_buffer_number(OptionsHandle options, int count);
    [LibraryImport(Library)] internal static partial void rocksdb_options_set_keep_log_file_num(OptionsHandle options, nuint count);
    [LibraryImport(Library)] internal static partial void rocksdb_options_set_compression(OptionsHandle options, int type);
    [LibraryImport(Library)] internal static partial void rocksdb_options_set_block_based_table_factory(OptionsHandle options, BlockBasedTableOptionsHandle tableOptions);

    [LibraryImport(Library)] internal static partial nint rocksdb_block_based_options_create();
    [LibraryImport(Library)] internal static partial void rocksdb_block_based_options_destroy(nint options);
    [LibraryImport(Library)] internal static partial void rocksdb_block_based_options_set_block_cache(BlockBasedTableOptionsHandle options, CacheHandle cache);
    [LibraryImport(Library)] internal static partial void rocksdb_block_based_options_set_cache_index_and_filter_blocks(BlockBasedTableOptionsHandle options, byte value);
    [LibraryImport(Library)] internal static partial void rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(BlockBasedTableOptionsHandle options, byte value);
    // Takes ownership of the policy: the table options free it.
    [LibraryImport(Library)] internal static partial void rocksdb_block_based_options_set_filter_policy(BlockBasedTableOptionsHandle options, nint policy);
    [LibraryImport(Library)] internal static partial nint rocksdb_filterpolicy_create_bloom_full(double bitsPerKey);
    [LibraryImport(Library)] internal static partial void rocksdb_block_based_options_set_data_block_index_type(BlockBasedTableOptionsHandle options, int type);

    [LibraryImport(Library)] internal static partial nint rocksdb_readoptions_create();
    [LibraryImport(Library)] internal static partial void rocksdb_readoptions_destroy(nint options);
    // The C API keeps only a pointer to the bound bytes: they must outlive the read options and their iterators.
    [LibraryImport(Library)] internal static partial void rocksdb_readoptions_set_iterate_upper_bound(ReadOptionsHandle options, byte* key, nuint keyLength);
    [LibraryImport(Library)] internal static partial void rocksdb_readoptions_set_iterate_lower_bound(ReadOptionsHandle options, byte* key, nuint keyLength);
    [LibraryImport(Library)] internal static partial void rocksdb_readoptions_set_fill_cache(ReadOptionsHandle options, byte value);

    [LibraryImport(Library)] internal static partial nint rocksdb_writeoptions_create();
    [LibraryImport(Library)] internal static partial void rocksdb_writeoptions_destroy(nint options);

    // Block cache
    [LibraryImport(Library)] internal static partial nint rocksdb_cache_create_lru(nuint capacity);
    [LibraryImport(Library)] internal static partial void rocksdb_cache_destroy(nint cache);
    [LibraryImport(Library)] internal static partial nuint rocksdb_cache_get_capacity(CacheHandle cache);
    [LibraryImport(Library)] internal static partial nuint rocksdb_cache_get_usage(CacheHandle cache);

    // Database
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint rocksdb_open(OptionsHandle options, string path, nint* errptr);
    [LibraryImport(Library)] internal static partial void rocksdb_close(nint db);
    [LibraryImport(Library)]
    internal static partial void rocksdb_put(DbHandle db, WriteOptionsHandle options, byte* key, nuint keyLength, byte* value, nuint valueLength, nint* errptr);
    [LibraryImport(Library)]
    internal static partial void rocksdb_delete(DbHandle db, WriteOptionsHandle options, byte* key, nuint keyLength, nint* errptr);
    // Pinned get: the value stays in RocksDB's memory (no malloc'd copy) until the slice is destroyed.
    [LibraryImport(Library)]
    internal static partial nint rocksdb_get_pinned(DbHandle db, ReadOptionsHandle options, byte* key, nuint keyLength, nint* errptr);
    [LibraryImport(Library)] internal static partial byte* rocksdb_pinnableslice_value(nint slice, nuint* valueLength);
    [LibraryImport(Library)] internal static partial void rocksdb_pinnableslice_destroy(nint slice);
    [LibraryImport(Library)]
    internal static partial void rocksdb_write(DbHandle db, WriteOptionsHandle options, WriteBatchHandle batch, nint* errptr);
    [LibraryImport(Library)] internal static partial void rocksdb_flush_wal(DbHandle db, byte sync, nint* errptr);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rocksdb_property_int(DbHandle db, string property, ulong* value);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rocksdb_set_options(DbHandle db, int count, string[] keys, string[] values, nint* errptr);

    // Checkpoint
    [LibraryImport(Library)] internal static partial nint rocksdb_checkpoint_object_create(nint db, nint* errptr);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rocksdb_checkpoint_create(CheckpointHandle checkpoint, string directory, ulong logSizeForFlush, nint* errptr);
    [LibraryImport(Library)] internal static partial void rocksdb_checkpoint_object_destroy(nint checkpoint);

    // Write batch
    [LibraryImport(Library)] internal static partial nint rocksdb_writebatch_create();
    [LibraryImport(Library)] internal static partial void rocksdb_writebatch_destroy(nint batch);
    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_put(WriteBatchHandle batch, byte* key, nuint keyLength, byte* value, nuint valueLength);
    [LibraryImport(Library)] internal static partial void rocksdb_writebatch_delete(WriteBatchHandle batch, byte* key, nuint keyLength);

    // Iterator: raw pointers, because the iterator code holds one reference across a whole step
    // (move, then copy key and value out of memory the iterator owns).
    [LibraryImport(Library)] internal static partial nint rocksdb_create_iterator(nint db, nint readOptions);
    [LibraryImport(Library)] internal static partial void rocksdb_iter_destroy(nint iterator);
    [LibraryImport(Library)] internal static partial byte rocksdb_iter_valid(nint iterator);
    [LibraryImport(Library)] internal static partial void rocksdb_iter_seek_to_first(nint iterator);
    [LibraryImport(Library)] internal static partial void rocksdb_iter_seek_to_last(nint iterator);
    [LibraryImport(Library)] internal static partial void rocksdb_iter_next(nint iterator);
    [LibraryImport(Library)] internal static partial void rocksdb_iter_prev(nint iterator);
    [LibraryImport(Library)] internal static partial byte* rocksdb_iter_key(nint iterator, nuint* keyLength);
    [LibraryImport(Library)] internal static partial byte* rocksdb_iter_value(nint iterator, nuint* valueLength);
    [LibraryImport(Library)] internal static partial void rocksdb_iter_get_error(nint iterator, nint* errptr);
}
