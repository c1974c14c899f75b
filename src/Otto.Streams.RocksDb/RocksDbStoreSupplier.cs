using Otto.Streams.State;

namespace Otto.Streams.RocksDb;

/// <summary>Supplies a new <see cref="RocksDbKeyValueStore"/> for each task, all sharing one memory budget.</summary>
public sealed class RocksDbStoreSupplier : IKeyValueBytesStoreSupplier
{
    /// <summary>Creates a supplier; <paramref name="memory"/> defaults to <see cref="RocksDbMemory.Default"/>.</summary>
    public RocksDbStoreSupplier(string name, RocksDbMemory? memory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Memory = memory ?? RocksDbMemory.Default;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The memory budget the supplied stores share.</summary>
    public RocksDbMemory Memory { get; }

    /// <inheritdoc />
    public IKeyValueStore<Bytes, byte[]> Get() => new RocksDbKeyValueStore(Name, Memory);
}
