using Otto.Streams.Graph;
using Otto.Streams.SerDes;
using Otto.Streams.State;
using Otto.Streams.State.Window;

namespace Otto.Streams.Stream;

/// <summary>A store the DSL makes for a table, an aggregate or a join buffer. Serdes not given in
/// <see cref="Materialized{K,V}"/> or by the operation come from the config when a task is built.</summary>
internal sealed class DslStoreBuilder(string name, bool loggingEnabled, Func<StreamConfig, IStoreBuilder> resolve) : IConfigurableStoreBuilder
{
    public string Name { get; } = name;
    public bool LoggingEnabled { get; } = loggingEnabled;

    public IStateStore Build() => throw new InvalidOperationException($"Store '{Name}' is built through For(config).");

    public IStoreBuilder For(StreamConfig config) => resolve(config);

    /// <summary>The bytes store of DSL stores that name no supplier: the same default as <see cref="StreamBuilder.Table{K,V}"/>'s.</summary>
    internal static IKeyValueBytesStoreSupplier DefaultSupplier(string name) => Stores.PersistentKeyValueStore(name);

    /// <summary>A key-value store; <paramref name="global"/> ones keep no changelog and default to memory (they are re-read from their topic on start).</summary>
    public static DslStoreBuilder KeyValue<K, V>(string name, Materialized<K, V>? materialized, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes,
        bool global = false)
    {
        var logged = !global && (materialized?.LoggingEnabled ?? true);
        return new(name, logged, config =>
        {
            var builder = Stores.KeyValueStoreBuilder(materialized?.StoreSupplier ?? (global ? Stores.InMemoryKeyValueStore(name) : DefaultSupplier(name)),
                SerDesResolver.Typed(materialized?.KeySerDes ?? keySerDes, config.DefaultKeySerDes, name, "key"),
                SerDesResolver.Typed(materialized?.ValueSerDes ?? valueSerDes, config.DefaultValueSerDes, name, "value"));
            // Uncached: a table's processors forward on every update, and a cache would change what they emit.
            return logged ? builder.WithCachingDisabled() : builder.WithLoggingDisabled();
        });
    }

    public static DslStoreBuilder Window<K, V>(string name, Materialized<K, V>? materialized, ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes,
        long retentionMs, bool retainDuplicates)
    {
        var logged = materialized?.LoggingEnabled ?? true;
        return new(name, logged, config =>
        {
            var builder = new WindowStoreBuilder<K, V>(materialized?.StoreSupplier ?? DefaultSupplier(name),
                SerDesResolver.Typed(materialized?.KeySerDes ?? keySerDes, config.DefaultKeySerDes, name, "key"),
                SerDesResolver.Typed(materialized?.ValueSerDes ?? valueSerDes, config.DefaultValueSerDes, name, "value"),
                TimeSpan.FromMilliseconds(retentionMs), retainDuplicates);
            return logged ? builder : builder.WithLoggingDisabled();
        });
    }
}
