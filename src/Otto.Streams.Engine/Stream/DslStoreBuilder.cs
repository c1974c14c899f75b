using Otto.Streams.Graph;
using Otto.Streams.State;

namespace Otto.Streams.Stream;

/// <summary>A key-value store the DSL makes for a table or an aggregate. Serdes not given in
/// <see cref="Materialized{K,V}"/> or by the operation come from the config when a task is built.</summary>
internal sealed class DslStoreBuilder<K, V>(string name, Materialized<K, V>? materialized, SerDes.ISerDes<K>? keySerDes, SerDes.ISerDes<V>? valueSerDes)
    : IConfigurableStoreBuilder
{
    public string Name { get; } = name;
    public bool LoggingEnabled { get; } = materialized?.LoggingEnabled ?? true;

    public IStateStore Build() => throw new InvalidOperationException($"Store '{Name}' is built through For(config).");

    public IStoreBuilder For(StreamConfig config)
    {
        var builder = Stores.KeyValueStoreBuilder(materialized?.StoreSupplier ?? Stores.InMemoryKeyValueStore(Name),
            SerDesResolver.Typed(materialized?.KeySerDes ?? keySerDes, config.DefaultKeySerDes, Name, "key"),
            SerDesResolver.Typed(materialized?.ValueSerDes ?? valueSerDes, config.DefaultValueSerDes, Name, "value"));
        return LoggingEnabled ? builder : builder.WithLoggingDisabled();
    }
}
