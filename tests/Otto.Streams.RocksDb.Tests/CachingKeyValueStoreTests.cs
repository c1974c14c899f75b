using Otto.Streams.State;
using Otto.Streams.State.RocksDb;
using static Otto.Streams.RocksDb.Tests.Entries;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>The store contract on the cached stack (caching → change-logging → RocksDB), with writes left in
/// the cache: every read and scan must see them as if they had been written through.</summary>
public sealed class CachedRocksDbKeyValueStoreContractTests : KeyValueStoreContractTests
{
    private RocksDbKeyValueStore? _rocks;

    private protected override IKeyValueStore<Bytes, byte[]> CreateStore(string name) =>
        new CachingKeyValueStore(new ChangeLoggingKeyValueStore(_rocks = new RocksDbKeyValueStore(name, RocksDbKeyValueStoreContractTests.Memory)));

    private protected override IStateStore Innermost => _rocks!;

    protected override bool ExpectedPersistent => true;
}

/// <summary>What the record cache adds: coalescing per key until a flush, eviction at its bound, and what a
/// close keeps.</summary>
public sealed class CachingKeyValueStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private sealed class Context(string directory, long maxBytes) : IStoreCacheContext, IStateStoreContext
    {
        private readonly TestStoreContext _inner = new(directory);
        public List<(string Store, byte[] Key, byte[]? Value)> Logged => _inner.Logged;
        public long CacheMaxBytes => maxBytes;
        public void AddCache(CachingKeyValueStore cache) => Caches.Add(cache);
        public List<CachingKeyValueStore> Caches { get; } = [];
        public string ApplicationId => _inner.ApplicationId;
        public Runtime.TaskId TaskId => _inner.TaskId;
        public string StateDirectory => _inner.StateDirectory;
        public RocksDbMemory StoreMemory => _inner.StoreMemory;
        public void Register(IStateStore store, Action<byte[], byte[]?> restore) => _inner.Register(store, restore);
        public void LogChange(string storeName, byte[] key, byte[]? value) => _inner.LogChange(storeName, key, value);
        public string ChangelogTopic(string storeName) => _inner.ChangelogTopic(storeName);
    }

    private (CachingKeyValueStore Store, Context Context) Open(long maxBytes = StreamConfig.DefaultStatestoreCacheMaxBytes)
    {
        var context = new Context(_directory.Path, maxBytes);
        var store = new CachingKeyValueStore(new ChangeLoggingKeyValueStore(new RocksDbKeyValueStore("cached", RocksDbKeyValueStoreContractTests.Memory)));
        store.Init(context);
        return (store, context);
    }

    [Fact]
    public void Writes_stay_in_the_cache_and_reads_see_them()
    {
        var (store, context) = Open();
        store.Put(K(1), V("a"));
        store.Put(K(1), V("b"));
        store.Put(K(2), V("x"));
        Assert.Equal("x", S(store.Delete(K(2))));
        Assert.Equal("b", S(store.Get(K(1))));
        Assert.Null(store.Get(K(2)));
        Assert.Null(store.PutIfAbsent(K(3), V("c")));
        Assert.Equal("c", S(store.PutIfAbsent(K(3), V("d"))));
        Assert.Equal([("01", "b"), ("03", "c")], Drain(store.All()));
        Assert.Empty(context.Logged);
        Assert.Same(store, Assert.Single(context.Caches));
        store.Close();
    }

    [Fact]
    public void Flush_logs_the_latest_value_of_each_key_once_in_write_order()
    {
        var (store, context) = Open();
        for (var i = 0; i < 7; i++) store.Put(K(1), V($"a{i}"));
        store.Put(K(2), V("b"));
        store.Delete(K(2));
        store.Put(K(3), V("c"));
        store.Put(K(1), V("last"));
        store.Flush();
        Assert.Equal([("02", null), ("03", "c"), ("01", "last")],
            context.Logged.Select(l => (Convert.ToHexString(l.Key), S(l.Value))).ToList());
        Assert.Equal(0, store.CachedEntries);
        store.Flush();
        Assert.Equal(3, context.Logged.Count);
        Assert.Equal("last", S(store.Get(K(1))));
        store.Close();
    }

    [Fact]
    public void Scans_merge_dirty_writes_and_deletions_over_the_store_without_writing()
    {
        var (store, context) = Open();
        foreach (var i in new byte[] { 1, 2, 3, 4 }) store.Put(K(i), V($"old{i}"));
        store.Flush();
        var flushed = context.Logged.Count;
        store.Put(K(2), V("new2"));
        store.Delete(K(3));
        store.Put(K(5), V("new5"));
        store.Put(K(0), V("new0"));
        Assert.Equal([("01", "old1"), ("02", "new2"), ("04", "old4")], Drain(store.Range(K(1), K(4))));
        Assert.Equal(["05", "04", "02", "01", "00"], Keys(store.ReverseAll()));
        Assert.Equal(["04", "02"], Keys(store.ReverseRange(K(2), K(4))));
        Assert.Equal(flushed, context.Logged.Count);
        store.Close();
    }

    [Fact]
    public void Over_the_bound_the_oldest_entries_are_written_down()
    {
        var entry = 1 + 4 + CachingKeyValueStore.EntryOverhead;
        var (store, context) = Open(maxBytes: 3 * entry);
        store.Put(K(1), V("v001"));
        store.Put(K(2), V("v002"));
        store.Put(K(3), V("v003"));
        Assert.Empty(context.Logged);
        store.Put(K(1), V("v101")); // rewriting makes key 1 the newest
        store.Put(K(4), V("v004"));
        var evicted = Assert.Single(context.Logged);
        Assert.Equal(("02", "v002"), (Convert.ToHexString(evicted.Key), S(evicted.Value)));
        Assert.Equal(3, store.CachedEntries);
        Assert.True(store.CachedBytes <= 3 * entry);
        Assert.Equal("v002", S(store.Get(K(2))));
        store.Close();
    }

    [Fact]
    public void A_zero_bound_writes_through()
    {
        var (store, context) = Open(maxBytes: 0);
        store.Put(K(1), V("a"));
        store.Put(K(1), V("b"));
        Assert.Equal(2, context.Logged.Count);
        Assert.Equal(0, store.CachedEntries);
        store.Close();
    }

    [Fact]
    public void A_close_after_a_flush_keeps_the_writes_and_a_close_without_one_drops_them()
    {
        var (store, context) = Open();
        store.Put(K(1), V("kept"));
        store.Flush(); // what a clean task close does before closing
        store.Put(K(2), V("dropped"));
        store.Close();
        Assert.Single(context.Logged);

        var (reopened, _) = Open();
        Assert.Equal("kept", S(reopened.Get(K(1))));
        Assert.Null(reopened.Get(K(2)));
        reopened.Close();
    }
}
