using Otto.Streams.Graph;
using Otto.Streams.Processors;
using Otto.Streams.SerDes;

namespace Otto.Streams.Stream;

/// <summary>Inserts a repartition topic, as Kafka Streams does before a stateful operation on re-keyed data:
/// a filter dropping null keys (they cannot be partitioned), a sink to <c>{name}-repartition</c> (partitioned by
/// the new key) and a source reading it back, which starts a new sub-topology.</summary>
internal static class RepartitionHop
{
    /// <summary>Adds the hop after <paramref name="parent"/>; returns the name of the source node reading it back.</summary>
    public static string Add(InternalTopologyBuilder builder, string parent, string name, ISerDes? keySerDes, ISerDes? valueSerDes,
        int? partitions = null, bool carriesChanges = false)
    {
        var topic = $"{name}-repartition";
        builder.AddRepartitionTopic(topic, partitions);
        var sink = builder.NewName("KSTREAM-SINK");
        var filter = builder.NewName("KSTREAM-FILTER");
        var source = builder.NewName("KSTREAM-SOURCE");

        builder.AddNode(new NodeFactory(filter, NodeKind.Processor, [parent], _ => new StatelessNode(filter, (n, k, v) =>
        {
            if (k is not null) n.Emit(k, v);
            else n.Dropped("null key before repartitioning");
        })));
        builder.AddNode(new NodeFactory(sink, NodeKind.Sink, [filter], config =>
        {
            var runtimeTopic = builder.Decorate(topic, config.ApplicationId);
            return new SinkNode(sink, runtimeTopic, SerDesResolver.Key(keySerDes, config, sink), Values(valueSerDes, config, sink));
        })
        {
            SinkTopic = topic,
        });
        builder.AddNode(new NodeFactory(source, NodeKind.Source, [], config => new SourceNode(source, [builder.Decorate(topic, config.ApplicationId)],
            SerDesResolver.Key(keySerDes, config, source), Values(valueSerDes, config, source)))
        {
            Topics = [topic],
        });
        return source;

        ISerDes Values(ISerDes? given, StreamConfig config, string node)
        {
            var serdes = SerDesResolver.Value(given, config, node);
            return carriesChanges ? new ChangeSerDes(serdes) : serdes;
        }
    }
}
