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
    /// (a tombstone deletes the key). Serdes not given in <paramref name="materialized"/> are the config's defaults.</summary>
    public IKTable<K, V> Table<K, V>(string topic, Materialized<K, V>? materialized = null, string? named = null)
    {
        var source = (KStream<K, V>)Stream(topic, materialized?.KeySerDes, materialized?.ValueSerDes, named);
        var storeName = materialized?.StoreName ?? _builder.NewName($"{topic}-STATE-STORE");
        return KTable<K, V>.FromStream(_builder, source.NodeName, _builder.NewName("KTABLE-SOURCE"), storeName, materialized, source.KeySerDes, source.ValueSerDes);
    }

    /// <summary>A global table of <paramref name="topic"/>: every instance reads all its partitions into a store before
    /// processing starts and keeps it current. Streams join it by a key they compute, with no co-partitioning needed.</summary>
    public IGlobalKTable<K, V> GlobalTable<K, V>(string topic, Materialized<K, V>? materialized = null, string? named = null)
    {
        var source = named ?? _builder.NewName("KSTREAM-SOURCE");
        var storeName = materialized?.StoreName ?? _builder.NewName($"{topic}-STATE-STORE");
        var processor = _builder.NewName("KTABLE-SOURCE");
        var store = DslStoreBuilder.KeyValue(storeName, materialized, materialized?.KeySerDes, materialized?.ValueSerDes, global: true);
        _builder.AddGlobalTable(new GlobalTableDefinition(source, processor, topic, storeName, config => (
            SerDesResolver.Key(materialized?.KeySerDes, config, source), SerDesResolver.Value(materialized?.ValueSerDes, config, source), store.For(config))));
        return new GlobalKTable<K, V>(storeName);
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
