using Otto.Streams.State.RocksDb.Native;
using static Otto.Streams.State.RocksDb.Native.RocksDbNative;

namespace Otto.Streams.State.RocksDb;

/// <summary>The options a store opens its database with. RocksDB copies them at open, so they are
/// disposed right after; the block cache stays shared through the table factory's reference.</summary>
internal static class StoreOptions
{
    /// <summary>At most this many memtables per store: one taking writes, one being flushed.</summary>
    public const int MaxMemtables = 2;

    private const int NoCompression = 0;
    private const int DataBlockBinaryAndHash = 1; // rocksdb_block_based_table_data_block_index_type_binary_search_and_hash

    public static OptionsHandle Create(RocksDbMemory memory, long memtableBytes)
    {
        var options = new OptionsHandle();
        try
        {
            rocksdb_options_set_create_if_missing(options, 1);
            rocksdb_options_set_write_buffer_size(options, (nuint)memtableBytes);
            rocksdb_options_set_max_write_buffer_number(options, MaxMemtables);
            rocksdb_options_set_keep_log_file_num(options, 2);
            // No compression, as Kafka Streams: values are small Avro records that compress little, and
            // every block read from a file would be decompressed on each sweep.
            rocksdb_options_set_compression(options, NoCompression);
            using var table = new BlockBasedTableOptionsHandle();
            rocksdb_block_based_options_set_block_cache(table, memory.Cache);
            // Index and filter blocks live in the shared cache too, so they count against its bound.
            rocksdb_block_based_options_set_cache_index_and_filter_blocks(table, 1);
            // Bloom filters (10 bits/key, ~1% false positives) let a point read skip table files without
            // the key; level-0 files' filters and indexes stay pinned, as they are read on every lookup.
            rocksdb_block_based_options_set_filter_policy(table, rocksdb_filterpolicy_create_bloom_full(10));
            rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(table, 1);
            // A hash index inside each data block: a point read finds its key without a binary search.
            rocksdb_block_based_options_set_data_block_index_type(table, DataBlockBinaryAndHash);
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
