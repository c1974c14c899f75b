using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.SerDes;
using Otto.Streams.Worker.Embedded;

namespace Otto.IntegrationTests;

/// <summary>
/// exactly_once_v2 against the embedded cluster: the transactional flow runs end to end (InitTransactions,
/// a transaction per commit, offsets sent to it, commit). The mock writes no transaction markers and discards
/// transactional offsets, so what exactly-once guarantees is proved on the in-memory cluster instead
/// (InMemory/ExactlyOnceTests).
/// </summary>
public class TransactionalFlowTests
{
    private static readonly StringSerDes Strings = new();

    [Fact]
    public async Task A_stream_under_exactly_once_v2_runs_and_delivers_on_the_embedded_cluster()
    {
        await using var cluster = await DevCluster.StartAsync("eos", 1);
        foreach (var t in new[] { "eos-in", "eos-out" }) cluster.Kafka.CreateTopic(t, 2);
        var builder = new StreamBuilder();
        builder.Stream<string, string>("eos-in", Strings, Strings).MapValues(v => v.ToUpperInvariant()).To("eos-out", Strings, Strings);
        using var output = new TopicReader<string, string>(cluster.BootstrapServers, "eos-out", Strings, Strings);
        var config = new StreamConfig
        {
            ApplicationId = "eos-app",
            BootstrapServers = cluster.BootstrapServers,
            Guarantee = ProcessingGuarantee.ExactlyOnceV2,
            CommitInterval = TimeSpan.FromMilliseconds(100),
            ClientProperties = DevCluster.ClientProperties,
        };
        using var stream = new KafkaStream(builder.Build(), config, topicManager: cluster.TopicManager);
        stream.Start();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            foreach (var (k, v) in new[] { ("a", "one"), ("b", "two"), ("c", "three") })
                producer.Produce("eos-in", new Message<string, string> { Key = k, Value = v });
            producer.Flush();
        }

        await Eventually.True(() => output.Records.Count == 3, TimeSpan.FromSeconds(30), "the three records");
        Assert.Equal(["ONE", "THREE", "TWO"], output.Records.Select(r => r.Value).Order());
        Assert.Equal(KafkaStreamState.Running, stream.State);
        Assert.True(stream.Close());
        Assert.Null(stream.FatalError);
    }
}
