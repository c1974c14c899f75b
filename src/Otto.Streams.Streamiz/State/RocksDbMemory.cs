using RocksDbSharp;
using Streamiz.Kafka.Net.State;

namespace Otto.Streams.Streamiz.State;

/// <summary>
/// Bounds what RocksDB may hold in memory for one worker instance, through Streamiz's <c>RocksDbConfigHandler</c>.
/// Streamiz gives every store (a task's payments, sweep index, duplicate candidates, request tables...) its own 50 MiB
/// block cache and three 16 MiB memtables, so a worker's RocksDB memory grew with its partitions: with 24 partitions,
/// over a hundred stores, 5 GiB of cache allowed. Here every store of the instance shares one LRU block cache, which
/// also holds the index and filter blocks (else outside any bound), and each store's memtables are
/// <see cref="WriteBufferSize"/>. The instance's bound is then the cache plus stores × 3 × WriteBufferSize. There is no
/// single memtable budget (RocksDB's WriteBufferManager): Streamiz's <see cref="RocksDbOptions"/> does not expose the
/// database options it must be set on.
/// </summary>
public sealed class RocksDbMemory
{
    // Streamiz's own table settings, kept: 4 KiB blocks, a Bloom filter per table.
    private const ulong BlockSize = 4096;

    private readonly Cache _blockCache;

    /// <summary>One shared block cache of <paramref name="blockCacheSize"/> bytes; memtables of <paramref name="writeBufferSize"/> bytes.</summary>
    public RocksDbMemory(long blockCacheSize, long writeBufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockCacheSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(writeBufferSize);
        BlockCacheSize = blockCacheSize;
        WriteBufferSize = writeBufferSize;
        _blockCache = Cache.CreateLru((ulong)blockCacheSize);
    }

    /// <summary>The shared block cache's capacity in bytes.</summary>
    public long BlockCacheSize { get; }

    /// <summary>One memtable's size in bytes (a store keeps up to three).</summary>
    public long WriteBufferSize { get; }

    /// <summary>Bytes the shared block cache holds now (data, index and filter blocks).</summary>
    public long BlockCacheUsage => (long)_blockCache.GetUsage();

    /// <summary>Streamiz's <c>RocksDbConfigHandler</c>: called for each store as it opens, after Streamiz's own settings.</summary>
    public void Configure(string storeName, RocksDbOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SetBlockBasedTableFactory(new BlockBasedTableOptions()
            .SetBlockCache(_blockCache)
            .SetBlockSize(BlockSize)
            .SetFilterPolicy(BloomFilterPolicy.Create())
            .SetCacheIndexAndFilterBlocks(true)
            .SetPinL0FilterAndIndexBlocksInCache(true));
        options.SetWriteBufferSize((ulong)WriteBufferSize);
    }
}
