using Otto.Streams.State.RocksDb.Native;
using static Otto.Streams.State.RocksDb.Native.RocksDbNative;

namespace Otto.Streams.State.RocksDb;

/// <summary>The options a store opens its database with. RocksDB copies them at open, so they are
/// disposed right after; the block cache stays shared through the table factory's reference.</summary>
internal static class StoreOptions
{
    /// <summary>At most this many memtables per store: one taking writes, one being flushed.</summary>
    public const int MaxMemtables = 2;

    public static OptionsHandle Create(RocksDbMemory memory, long memtableBytes)
    {
        var options = new OptionsHandle();
        try
        {
            rocksdb_options_set_create_if_missing(options, 1);
            rocksdb_options_set_write_buffer_size(options, (nuint)memtableBytes);
            rocksdb_options_set_max_write_buffer_number(options, MaxMemtables);
            rocksdb_options_set_keep_log_file_num(options, 2);
            using var table = new BlockBasedTableOptionsHandle();
            rocksdb_block_based_options_set_block_cache(table, memory.Cache);
            // Index and filter blocks live in the shared cache too, so they count against its bound.
            rocksdb_block_based_options_set_cache_index_and_filter_blocks(table, 1);
            rocksdb_options_set_block_based_table_factory(options, table);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }
}
