using Otto.Streams.Graph;
using Otto.Streams.Processors;
using Otto.Streams.SerDes;
using Otto.Streams.State;
using Otto.Streams.Stream;

namespace Otto.Streams;

/// <summary>The entry point of the DSL (Kafka Streams' StreamsBuilder): declare sources, tables and stores,
/// chain operators, then <see cref="Build"/> the topology.</summary>
public sealed class StreamBuilder
{
    private readonly InternalTopologyBuilder _builder = new();

    /// <summary>A stream of the records of <paramref name="topic"/>.</summary>
    public IKStream<K, V> Stream<K, V>(string topic, ISerDes<K>? keySerDes = null, ISerDes<V>? valueSerDes = null, string? named = null)
    {
        var name = named ?? _builder.NewName("KSTREAM-SOURCE");
        _builder.AddNode(new NodeFactory(name, NodeKind.Source, [], config => new SourceNode(name, [topic],
            SerDesResolver.Key(keySerDes, config, name), SerDesResolver.Value(valueSerDes, config, name)))
        {
            Topics = [topic],
        });
        return new KStream<K, V>(_builder, name, keySerDes, valueSerDes);
    }

    /// <summary>A table of the latest value per key of <paramref name="topic"/>, materialized in a store
    /// (a tombstone deletes the key).</summary>
    public IKTable<K, V> Table<K, V>(string topic, Materialized<K, V>? materialized = null, string? named = null)
    {
        materialized ??= Materialized<K, V>.Create();
        var source = (KStream<K, V>)Stream(topic, materialized.KeySerDes, materialized.ValueSerDes, named);
        var storeName = materialized.StoreName ?? _builder.NewName($"{topic}-STATE-STORE");
        var keySerDes = materialized.KeySerDes ?? throw new Errors.TopologyException($"table of {topic} needs a key serde in Materialized");
        var valueSerDes = materialized.ValueSerDes ?? throw new Errors.TopologyException($"table of {topic} needs a value serde in Materialized");
        var store = Stores.KeyValueStoreBuilder(materialized.StoreSupplier ?? Stores.PersistentKeyValueStore(storeName), keySerDes, valueSerDes);
        if (!materialized.LoggingEnabled) store.WithLoggingDisabled();

        var tableNode = _builder.NewName("KTABLE-SOURCE");
        _builder.AddNode(new NodeFactory(tableNode, NodeKind.Processor, [source.NodeName], _ => new KTableSourceNode<K, V>(tableNode, storeName)));
        _builder.AddStateStore(store, tableNode);
        return new KTable<K, V>(_builder, tableNode, storeName, keySerDes, valueSerDes);
    }

    /// <summary>Adds a store that processors name in <see cref="IKStream{K,V}.Process{KOut,VOut}"/>.</summary>
    public StreamBuilder AddStateStore(IStoreBuilder store)
    {
        _builder.AddStateStore(store);
        return this;
    }

    /// <summary>The topology built so far.</summary>
    public Topology Build() => new(_builder);
}
