using Otto.Streams.SerDes;
using Otto.Streams.State;
using static Otto.Streams.RocksDb.Tests.Entries;

using Otto.Streams.State.RocksDb;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>
/// What every bytes key-value store guarantees, run against each implementation. Iterators are snapshots:
/// they return the store as it was when the iterator was created, whatever is written while they are
/// enumerated (the in-memory store copies; RocksDB pins the version current at iterator creation).
/// </summary>
public abstract class KeyValueStoreContractTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private protected readonly TestStoreContext Context;
    private protected readonly IKeyValueStore<Bytes, byte[]> Store;

    protected KeyValueStoreContractTests()
    {
        Context = new TestStoreContext(_directory.Path);
        Store = CreateStore("contract-store");
        Store.Init(Context);
    }

    private protected abstract IKeyValueStore<Bytes, byte[]> CreateStore(string name);

    protected abstract bool ExpectedPersistent { get; }

    public void Dispose()
    {
        Store.Close();
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Init_opens_the_store_and_registers_it_for_restoration()
    {
        Assert.True(Store.IsOpen);
        Assert.Equal("contract-store", Store.Name);
        Assert.Equal(ExpectedPersistent, Store.Persistent);
        Assert.Same(Store, Context.Registered);
    }

    [Fact]
    public void Empty_store_has_nothing()
    {
        Assert.Null(Store.Get(K(1)));
        Assert.Empty(Drain(Store.All()));
        Assert.Empty(Drain(Store.Range(K(0x00), K(0xFF))));
        Assert.Equal(0, Store.ApproximateNumEntries());
        Assert.Null(Store.Delete(K(1)));
    }

    [Fact]
    public void Put_then_get_and_overwrite()
    {
        Store.Put(K(1), V("a"));
        Assert.Equal("a", S(Store.Get(K(1))));
        Store.Put(K(1), V("b"));
        Assert.Equal("b", S(Store.Get(K(1))));
        Assert.Null(Store.Get(K(2)));
    }

    [Fact]
    public void Empty_value_is_stored_not_deleted()
    {
        Store.Put(K(1), []);
        var value = Store.Get(K(1));
        Assert.NotNull(value);
        Assert.Empty(value);
    }

    [Fact]
    public void Put_null_deletes()
    {
        Store.Put(K(1), V("a"));
        Store.Put(K(1), null);
        Assert.Null(Store.Get(K(1)));
        Assert.Empty(Drain(Store.All()));
    }

    [Fact]
    public void Delete_returns_the_old_value()
    {
        Store.Put(K(1), V("a"));
        Assert.Equal("a", S(Store.Delete(K(1))));
        Assert.Null(Store.Get(K(1)));
        Assert.Null(Store.Delete(K(1)));
    }

    [Fact]
    public void PutIfAbsent_writes_only_when_absent()
    {
        Assert.Null(Store.PutIfAbsent(K(1), V("a")));
        Assert.Equal("a", S(Store.PutIfAbsent(K(1), V("b"))));
        Assert.Equal("a", S(Store.Get(K(1))));
    }

    [Fact]
    public void PutAll_writes_and_deletes()
    {
        Store.Put(K(3), V("old"));
        Store.PutAll([new(K(1), V("a")), new(K(2), V("b")), new(K(3), null)]);
        Assert.Equal([("01", "a"), ("02", "b")], Drain(Store.All()));
    }

    [Fact]
    public void All_is_in_unsigned_byte_order()
    {
        foreach (var b in new byte[] { 0xFF, 0x80, 0x01, 0x7F }) Store.Put(K(b), V(b.ToString("X2")));
        Assert.Equal(["01", "7F", "80", "FF"], Keys(Store.All()));
    }

    [Fact]
    public void Range_bounds_are_inclusive_in_unsigned_order()
    {
        foreach (var b in new byte[] { 0x01, 0x7F, 0x80, 0xFF }) Store.Put(K(b), V("v"));
        Assert.Equal(["7F", "80", "FF"], Keys(Store.Range(K(0x7F), K(0xFF))));
        Assert.Equal(["01", "7F", "80"], Keys(Store.Range(K(0x01), K(0x80))));
        Assert.Equal(["80"], Keys(Store.Range(K(0x80), K(0x80))));
        Assert.Empty(Keys(Store.Range(K(0x02), K(0x7E))));
    }

    [Fact]
    public void Range_upper_bound_excludes_longer_keys_sharing_its_prefix()
    {
        Store.Put(K(0x01), V("a"));
        Store.Put(K(0x01, 0x00), V("b"));
        Store.Put(K(0x01, 0xFF), V("c"));
        Store.Put(K(0x01, 0xFF, 0x00), V("d"));
        Store.Put(K(0x02), V("e"));
        Assert.Equal(["01", "0100", "01FF"], Keys(Store.Range(K(0x01), K(0x01, 0xFF))));
    }

    [Fact]
    public void Inverted_range_is_empty()
    {
        Store.Put(K(1), V("a"));
        Store.Put(K(2), V("b"));
        Assert.Empty(Drain(Store.Range(K(2), K(1))));
    }

    [Fact]
    public void Iterator_is_a_snapshot_taken_when_it_is_created()
    {
        Store.Put(K(1), V("a"));
        Store.Put(K(2), V("b"));
        Store.Put(K(3), V("c"));
        using var iterator = Store.All();
        Store.Put(K(1), V("changed"));
        Store.Delete(K(2));
        Store.Put(K(4), V("new"));

        var seen = new List<(string, string)>();
        foreach (var (key, value) in iterator)
        {
            seen.Add((Convert.ToHexString(key.Data), S(value)!));
            Store.Put(K(5), V("during")); // writes while enumerating are safe and not seen
            Store.Delete(K(3));
        }
        Assert.Equal([("01", "a"), ("02", "b"), ("03", "c")], seen);
        Assert.Equal([("01", "changed"), ("04", "new"), ("05", "during")], Drain(Store.All()));
    }

    [Fact]
    public void Restore_callback_applies_puts_and_deletions()
    {
        Store.Put(K(9), V("local"));
        Context.Restore([1], V("a"));
        Context.Restore([2], V("b"));
        Context.Restore([1], V("a2"));
        Context.Restore([2], null);
        Context.Restore([9], null);
        Assert.Equal([("01", "a2")], Drain(Store.All()));
    }

    [Fact]
    public void A_long_restoration_is_fully_visible_to_the_first_read()
    {
        for (var i = 0; i < 25_000; i++) Context.Restore(BigEndian(i % 12_000).Data, V($"v{i}"));
        for (var i = 0; i < 12_000; i += 2) Context.Restore(BigEndian(i).Data, null);
        Assert.Equal("v24999", S(Store.Get(BigEndian(999))));
        Assert.Null(Store.Get(BigEndian(998)));
        Assert.Equal(6_000, Keys(Store.All()).Count);
    }

    [Fact]
    public void ApproximateNumEntries_counts_distinct_inserts()
    {
        Store.Put(K(1), V("a"));
        Store.Put(K(2), V("b"));
        Store.Put(K(3), V("c"));
        Assert.Equal(3, Store.ApproximateNumEntries());
    }

    private void PutScanKeys()
    {
        foreach (var key in new byte[][] { [0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0x00], [0x02], [0x7F], [0x80], [0xFF], [0xFF, 0xFF] })
            Store.Put(key, V(Convert.ToHexString(key)));
    }

    private static readonly ByteArraySerDes Prefix = new();

    [Fact]
    public void ReverseAll_is_largest_key_first()
    {
        PutScanKeys();
        Assert.Equal(["FFFF", "FF", "80", "7F", "02", "01FF00", "01FF", "0100", "01"], Keys(Store.ReverseAll()));
    }

    [Fact]
    public void ReverseRange_is_inclusive_and_largest_key_first()
    {
        PutScanKeys();
        Assert.Equal(["80", "7F", "02"], Keys(Store.ReverseRange(K(0x02), K(0x80))));
        Assert.Equal(["01FF", "0100", "01"], Keys(Store.ReverseRange(K(0x01), K(0x01, 0xFF))));
        Assert.Empty(Keys(Store.ReverseRange(K(0x80), K(0x02))));
    }

    [Fact]
    public void PrefixScan_returns_keys_starting_with_the_prefix()
    {
        PutScanKeys();
        Assert.Equal(["01", "0100", "01FF", "01FF00"], Keys(Store.PrefixScan([0x01], Prefix)));
        Assert.Equal(["01FF", "01FF00"], Keys(Store.PrefixScan([0x01, 0xFF], Prefix)));
        Assert.Equal(["FF", "FFFF"], Keys(Store.PrefixScan([0xFF], Prefix)));
        Assert.Empty(Keys(Store.PrefixScan([0x03], Prefix)));
        Assert.Equal(9, Keys(Store.PrefixScan([], Prefix)).Count);
    }

    [Fact]
    public void PutAll_is_one_batch_so_a_failing_source_writes_nothing()
    {
        static IEnumerable<KeyValuePair<Bytes, byte[]?>> Failing()
        {
            yield return new(K(0x10), V("x"));
            throw new InvalidOperationException("source failed");
        }

        Assert.Throws<InvalidOperationException>(() => Store.PutAll(Failing()));
        Assert.Null(Store.Get(K(0x10)));
    }

    [Fact]
    public void Open_iterators_do_not_block_writes_or_other_iterators()
    {
        PutScanKeys();
        using var first = Store.PrefixScan([0x01], Prefix);
        using var second = Store.ReverseAll();
        Store.Put(K(0x01, 0x01), V("late"));
        Assert.Equal(["01", "0100", "01FF", "01FF00"], Keys(first));
        Assert.Equal(9, Keys(second).Count);
    }

    [Fact]
    public void A_large_store_is_scanned_in_order_without_gaps()
    {
        Store.PutAll(Enumerable.Range(0, 20_000).Select(i => new KeyValuePair<Bytes, byte[]?>(BigEndian(i), V(i.ToString()))));
        var expected = 0;
        using (var all = Store.All())
            foreach (var (key, value) in all)
            {
                Assert.Equal(BigEndian(expected), key);
                Assert.Equal(expected.ToString(), S(value));
                expected++;
            }
        Assert.Equal(20_000, expected);
        Assert.Equal(100, Keys(Store.Range(BigEndian(500), BigEndian(599))).Count);
    }

    private static Bytes BigEndian(int i) => new([(byte)(i >> 24), (byte)(i >> 16), (byte)(i >> 8), (byte)i]);

    [Fact]
    public void Close_marks_the_store_closed()
    {
        Store.Close();
        Assert.False(Store.IsOpen);
    }

    [Fact]
    public void Reads_after_close_throw_object_disposed_so_a_query_never_takes_a_closed_store_for_an_empty_one()
    {
        Store.Put(BigEndian(1), [1]);
        Store.Close();
        Assert.Throws<ObjectDisposedException>(() => Store.Get(BigEndian(1)));
        Assert.Throws<ObjectDisposedException>(() => Store.All());
        Assert.Throws<ObjectDisposedException>(() => Store.ApproximateNumEntries());
    }

    [Fact]
    public async Task Interactive_queries_may_read_from_another_thread_while_the_task_writes()
    {
        var writing = true;
        using var started = new ManualResetEventSlim();
        var reader = Task.Run(() =>
        {
            started.Set();
            var reads = 0;
            while (Volatile.Read(ref writing) || reads == 0)
            {
                Store.Get(BigEndian(reads % 50_000));
                using (var all = Store.All()) foreach (var _ in all) { }
                Store.ApproximateNumEntries();
                reads++;
            }
            return reads;
        });
        started.Wait();
        // New keys and deletions change the key set itself (not only values) all the time.
        for (var i = 0; i < 50_000; i++)
        {
            Store.Put(BigEndian(i), [(byte)i]);
            if (i >= 1_000) Store.Delete(BigEndian(i - 1_000));
        }
        Volatile.Write(ref writing, false);
        Assert.True(await reader > 0);
    }
}

/// <summary>The contract on the engine's in-memory store, the reference behaviour.</summary>
public sealed class InMemoryKeyValueStoreContractTests : KeyValueStoreContractTests
{
    private protected override IKeyValueStore<Bytes, byte[]> CreateStore(string name) => new InMemoryKeyValueStore(name);
    protected override bool ExpectedPersistent => false;
}

/// <summary>The contract on the RocksDB store.</summary>
public sealed class RocksDbKeyValueStoreContractTests : KeyValueStoreContractTests
{
    private protected override IKeyValueStore<Bytes, byte[]> CreateStore(string name) => new RocksDbKeyValueStore(name, Memory);
    protected override bool ExpectedPersistent => true;

    // Small budget: tests open many stores in parallel and none needs much.
    internal static readonly RocksDbMemory Memory = new(blockCacheBytes: 8L << 20, writeBufferBytes: 16L << 20);
}
