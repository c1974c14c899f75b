using Otto.Streams.State.RocksDb;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>A temp state directory and helpers to open RocksDB stores in it; closes them and deletes it on dispose.</summary>
public sealed class RocksDbStoreFixture : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<RocksDbKeyValueStore> _stores = [];

    internal string StateDirectory => _directory.Path;

    internal TestStoreContext Context { get; }

    public RocksDbStoreFixture() => Context = new TestStoreContext(_directory.Path);

    internal RocksDbKeyValueStore Open(string name = "store", RocksDbMemory? memory = null)
    {
        var store = new RocksDbKeyValueStore(name, memory ?? RocksDbKeyValueStoreContractTests.Memory);
        _stores.Add(store);
        store.Init(Context);
        return store;
    }

    public void Dispose()
    {
        foreach (var store in _stores) store.Close();
        _directory.Dispose();
    }
}
