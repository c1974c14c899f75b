using Otto.Streams.State;

namespace Otto.Streams.State.RocksDb;

/// <summary>Supplies a new <see cref="RocksDbKeyValueStore"/> for each task, all sharing one memory budget.</summary>
public sealed class RocksDbStoreSupplier : IKeyValueBytesStoreSupplier
{
    /// <summary>Creates a supplier; <paramref name="memory"/> defaults to the budget of the instance that opens
    /// the stores (one per <see cref="KafkaStream"/>, sized by <see cref="StreamConfig"/>).</summary>
    public RocksDbStoreSupplier(string name, RocksDbMemory? memory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Memory = memory;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The memory budget the supplied stores share, or null for the instance's.</summary>
    public RocksDbMemory? Memory { get; }

    /// <inheritdoc />
    public IKeyValueStore<Bytes, byte[]> Get() => new RocksDbKeyValueStore(Name, Memory);
}
