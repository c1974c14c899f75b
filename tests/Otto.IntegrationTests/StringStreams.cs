using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.Errors;
using Otto.Streams.SerDes;
using Otto.Streams.Worker.Embedded;

namespace Otto.IntegrationTests;

/// <summary>Set-up shared by the engine tests on the embedded cluster: string topologies, fast commits.</summary>
internal static class StringStreams
{
    public static readonly StringSerDes Strings = new();

    /// <summary>A config for <paramref name="app"/> on <paramref name="cluster"/> with string serdes and a
    /// 100 ms commit interval; records that do not deserialize go to <paramref name="deadLetterTopic"/> when given.</summary>
    public static StreamConfig Config(DevCluster cluster, string app, string? deadLetterTopic = null) => new()
    {
        ApplicationId = app,
        BootstrapServers = cluster.BootstrapServers,
        DefaultKeySerDes = Strings,
        DefaultValueSerDes = Strings,
        CommitInterval = TimeSpan.FromMilliseconds(100),
        DeserializationErrors = deadLetterTopic is null ? ErrorHandling.Fail : ErrorHandling.DeadLetter,
        DeadLetterTopic = deadLetterTopic,
        ClientProperties = DevCluster.ClientProperties,
        StateDir = cluster.StateDir,
    };

    /// <summary>Produces string records with the Java clients' partitioner, as the engine's producers do.</summary>
    public static void Produce(DevCluster cluster, string topic, params (string Key, string Value)[] records)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, Partitioner = Partitioner.Murmur2Random }).Build();
        foreach (var (k, v) in records) producer.Produce(topic, new Message<string, string> { Key = k, Value = v });
        producer.Flush();
    }
}
