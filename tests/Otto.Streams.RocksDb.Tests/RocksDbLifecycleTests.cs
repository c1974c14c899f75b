using Xunit.Abstractions;
using static Otto.Streams.RocksDb.Tests.Entries;

using Otto.Streams.State.RocksDb;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>Opening, reopening and closing a RocksDB store, and what happens to iterators and late callers.</summary>
public sealed class RocksDbLifecycleTests(ITestOutputHelper output) : IDisposable
{
    private readonly RocksDbStoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Store_lives_in_its_named_folder_of_the_task_directory()
    {
        var store = _fixture.Open("orders");
        var expected = Path.Combine(_fixture.StateDirectory, "orders");
        Assert.Equal(expected, store.DirectoryPath);
        Assert.True(File.Exists(Path.Combine(expected, "CURRENT")));
    }

    [Fact]
    public void Reopen_keeps_data()
    {
        var store = _fixture.Open();
        store.Put(K(1), V("a"));
        store.PutAll([new(K(2), V("b")), new(K(3), V("c"))]);
        store.Delete(K(3));
        store.Flush();
        store.Close();

        var reopened = _fixture.Open();
        Assert.Equal([("01", "a"), ("02", "b")], Drain(reopened.All()));
    }

    [Fact]
    public void Same_directory_cannot_be_opened_twice()
    {
        _fixture.Open();
        var error = Assert.Throws<RocksDbException>(() => _fixture.Open());
        output.WriteLine(error.Message);
        Assert.Contains(Path.Combine(_fixture.StateDirectory, "store"), error.Message);
        Assert.Contains("lock", error.RocksDbMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Use_after_close_throws_ObjectDisposedException()
    {
        var store = _fixture.Open();
        store.Put(K(1), V("a"));
        store.Close();
        store.Close(); // idempotent

        Assert.False(store.IsOpen);
        Assert.Throws<ObjectDisposedException>(() => store.Get(K(1)));
        Assert.Throws<ObjectDisposedException>(() => store.Put(K(1), V("b")));
        Assert.Throws<ObjectDisposedException>(() => store.PutAll([new(K(1), V("b"))]));
        Assert.Throws<ObjectDisposedException>(() => store.Delete(K(1)));
        Assert.Throws<ObjectDisposedException>(() => store.All());
        Assert.Throws<ObjectDisposedException>(() => store.Range(K(0), K(9)));
        Assert.Throws<ObjectDisposedException>(() => store.ApproximateNumEntries());
        Assert.Throws<ObjectDisposedException>(() => store.Flush());
        Assert.Throws<ObjectDisposedException>(() => store.Init(_fixture.Context));
    }

    [Fact]
    public void Use_before_init_throws_InvalidOperationException()
    {
        using var store = new RocksDbKeyValueStore("never-opened", RocksDbKeyValueStoreContractTests.Memory);
        Assert.Throws<InvalidOperationException>(() => store.Get(K(1)));
    }

    [Fact]
    public void Disposed_iterator_throws_ObjectDisposedException()
    {
        var store = _fixture.Open();
        store.Put(K(1), V("a"));
        var iterator = store.All();
        iterator.Dispose();
        iterator.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => iterator.GetEnumerator());
    }

    [Fact]
    public void Iterator_can_be_enumerated_only_once()
    {
        var store = _fixture.Open();
        using var iterator = store.All();
        _ = iterator.ToList();
        Assert.Throws<InvalidOperationException>(() => iterator.GetEnumerator());
    }

    [Fact]
    public void Closing_the_store_with_open_iterators_is_safe()
    {
        var store = _fixture.Open();
        store.Put(K(1), V("a"));
        store.Put(K(2), V("b"));
        var started = store.All();
        var enumerator = started.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        var untouched = store.Range(K(0), K(9));

        store.Close();

        Assert.Throws<ObjectDisposedException>(() => enumerator.MoveNext());
        Assert.Throws<ObjectDisposedException>(() => untouched.GetEnumerator());
        started.Dispose();
        untouched.Dispose();
        // The iterators no longer pin the database: its lock is released and it opens again.
        Assert.Equal(["01", "02"], Keys(_fixture.Open().All()));
    }

    [Theory]
    [InlineData("garbage, not a manifest name")] // CURRENT itself is malformed
    [InlineData("MANIFEST-000001\n")] // CURRENT is fine, the manifest it names is garbage
    public void Corrupted_directory_gives_RocksDbException_naming_the_path(string current)
    {
        var path = Path.Combine(_fixture.StateDirectory, "store");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "CURRENT"), current);
        File.WriteAllBytes(Path.Combine(path, "MANIFEST-000001"), [0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3]);

        var error = Assert.Throws<RocksDbException>(() => _fixture.Open());
        output.WriteLine(error.Message);
        Assert.Contains(path, error.Message);
        Assert.Equal(path, error.Path);
        Assert.False(string.IsNullOrWhiteSpace(error.RocksDbMessage));
        Assert.Contains(error.RocksDbMessage, error.Message);
    }

    [Fact]
    public void Directory_that_is_a_file_gives_RocksDbException_naming_the_path()
    {
        File.WriteAllText(Path.Combine(_fixture.StateDirectory, "store"), "a file where the store's directory should be");

        var error = Assert.Throws<RocksDbException>(() => _fixture.Open());
        Assert.Contains(Path.Combine(_fixture.StateDirectory, "store"), error.Message);
    }

    [Fact]
    public void Checkpoint_is_a_consistent_copy_that_opens_as_a_store()
    {
        var store = _fixture.Open();
        store.Put(K(1), V("a"));
        store.Put(K(2), V("b"));
        using var copyState = new TempDirectory();
        store.Checkpoint(Path.Combine(copyState.Path, "store"));
        store.Put(K(3), V("after the checkpoint"));

        using var copy = new RocksDbKeyValueStore("store", RocksDbKeyValueStoreContractTests.Memory);
        copy.Init(new TestStoreContext(copyState.Path));
        Assert.Equal([("01", "a"), ("02", "b")], Drain(copy.All()));
    }

    [Fact]
    public void Checkpoint_into_an_existing_directory_fails_with_RocksDbException()
    {
        var store = _fixture.Open();
        var error = Assert.Throws<RocksDbException>(() => store.Checkpoint(_fixture.StateDirectory));
        output.WriteLine(error.Message);
        Assert.Contains(_fixture.StateDirectory, error.Message);
    }

    [Fact]
    public void Supplier_makes_a_new_unopened_store_each_time()
    {
        var supplier = Otto.Streams.State.Stores.PersistentKeyValueStore("kv");
        var first = supplier.Get();
        var second = supplier.Get();
        Assert.NotSame(first, second);
        Assert.Equal("kv", supplier.Name);
        Assert.IsType<RocksDbKeyValueStore>(first);
        Assert.False(first.IsOpen);
        Assert.Null(((RocksDbStoreSupplier)supplier).Memory); // the instance's budget, given at Init
    }
}
