using static Otto.Streams.RocksDb.Tests.Entries;

using Otto.Streams.State.RocksDb;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>One block cache and one memtable budget shared by the stores given the same <see cref="RocksDbMemory"/>.</summary>
public sealed class RocksDbMemoryTests : IDisposable
{
    private readonly RocksDbStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Defaults_are_64_MiB_cache_and_32_MiB_of_memtables()
    {
        using var memory = new RocksDbMemory();
        Assert.Equal(64L << 20, memory.BlockCacheBytes);
        Assert.Equal(32L << 20, memory.WriteBufferBytes);
        Assert.Equal(0, memory.OpenStores);
        Assert.Equal(16L << 20, memory.MemtableBytesPerStore); // one store would get half: 2 memtables
    }

    [Fact]
    public void Memtable_budget_is_split_between_the_stores_sharing_it()
    {
        using var memory = new RocksDbMemory(blockCacheBytes: 1L << 20, writeBufferBytes: 8L << 20);
        var a = _fixture.Open("a", memory);
        Assert.Equal(1, memory.OpenStores);
        Assert.Equal(4L << 20, memory.MemtableBytesPerStore);

        var b = _fixture.Open("b", memory);
        Assert.Equal(2, memory.OpenStores);
        Assert.Equal(2L << 20, memory.MemtableBytesPerStore);
        Assert.Equal(2L << 20, CurrentWriteBufferSize(a)); // the open store was resized, not only the new one
        Assert.Equal(2L << 20, CurrentWriteBufferSize(b));

        a.Close();
        Assert.Equal(1, memory.OpenStores);
        Assert.Equal(4L << 20, memory.MemtableBytesPerStore);
        Assert.Equal(4L << 20, CurrentWriteBufferSize(b));
        b.Put(K(1), V("still works after the resize"));
        Assert.NotNull(b.Get(K(1)));
    }

    // RocksDB writes its live options to a new OPTIONS-<n> file at open and on every option change.
    private static long CurrentWriteBufferSize(RocksDbKeyValueStore store)
    {
        var latest = Directory.GetFiles(store.DirectoryPath!, "OPTIONS-*")
            .MaxBy(f => long.Parse(Path.GetFileName(f)["OPTIONS-".Length..], System.Globalization.CultureInfo.InvariantCulture))!;
        var line = File.ReadLines(latest).Select(l => l.Trim()).First(l => l.StartsWith("write_buffer_size=", StringComparison.Ordinal));
        return long.Parse(line["write_buffer_size=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Memtable_share_never_drops_below_the_floor()
    {
        using var memory = new RocksDbMemory(blockCacheBytes: 1L << 20, writeBufferBytes: 2 * RocksDbMemory.MinMemtableBytes);
        _fixture.Open("a", memory);
        _fixture.Open("b", memory);
        Assert.Equal(RocksDbMemory.MinMemtableBytes, memory.MemtableBytesPerStore);
    }

    [Fact]
    public void Two_stores_read_through_one_block_cache()
    {
        using var memory = new RocksDbMemory(blockCacheBytes: 4L << 20, writeBufferBytes: 4L << 20);
        Assert.Equal(0, memory.BlockCacheUsage);
        foreach (var name in new[] { "a", "b" })
        {
            var store = _fixture.Open(name, memory);
            store.Put(K(1), V(name));
            store.Close(); // reopening replays the write-ahead log into a table file
        }
        var a = _fixture.Open("a", memory);
        Assert.Equal("a", S(a.Get(K(1))));
        var afterA = memory.BlockCacheUsage;
        Assert.True(afterA > 0);

        var b = _fixture.Open("b", memory);
        Assert.Equal("b", S(b.Get(K(1))));
        Assert.True(memory.BlockCacheUsage > afterA);
        Assert.True(memory.BlockCacheUsage <= memory.BlockCacheBytes);
    }

    [Fact]
    public void Disposed_budget_refuses_new_stores_and_leaves_open_ones_working()
    {
        var memory = new RocksDbMemory(blockCacheBytes: 1L << 20, writeBufferBytes: 1L << 20);
        var open = _fixture.Open("a", memory);
        memory.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _fixture.Open("b", memory));
        open.Put(K(1), V("a"));
        Assert.Equal("a", S(open.Get(K(1))));
    }
}
