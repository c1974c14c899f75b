using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.Processors;
using Otto.Streams.Worker.Embedded;
using static Otto.IntegrationTests.StringStreams;

namespace Otto.IntegrationTests;

/// <summary>A task takes records in timestamp order across its partitions, whatever order the consumer fetches
/// them in — so after a restart a stream-table join sees the table update written before the stream record.</summary>
public class RecordOrderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_task_processes_its_partitions_backlog_in_timestamp_order()
    {
        await using var cluster = await DevCluster.StartAsync("order", 1);
        foreach (var t in new[] { "order-early", "order-late", "order-out" }) cluster.Kafka.CreateTopic(t, 1);
        // The later half is written (and so fetched) first: records 1000, 1002, ... then 1001, 1003, ...
        ProduceAt(cluster, "order-late", Enumerable.Range(0, 50).Select(i => 1000L + 2 * i + 1));
        ProduceAt(cluster, "order-early", Enumerable.Range(0, 50).Select(i => 1000L + 2 * i));

        var seen = new List<long>();
        var builder = new StreamBuilder();
        builder.Stream<string, string>("order-early").Merge(builder.Stream<string, string>("order-late"))
            .Process(() => new Recorder(seen), "recorder");
        using var stream = new KafkaStream(builder.Build(), Config(cluster, "order-app"), topicManager: cluster.TopicManager);
        stream.Start();

        await Eventually.True(() => { lock (seen) return seen.Count == 100; }, Wait, "all 100 records processed");
        lock (seen) Assert.Equal(Enumerable.Range(0, 100).Select(i => 1000L + i), seen);
    }

    private static void ProduceAt(DevCluster cluster, string topic, IEnumerable<long> timestamps)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        foreach (var ms in timestamps)
            producer.Produce(topic, new Message<string, string> { Key = "k", Value = ms.ToString(), Timestamp = new Timestamp(ms, TimestampType.CreateTime) });
        producer.Flush();
    }

    private sealed class Recorder(List<long> seen) : IProcessor<string, string, string, string>
    {
        public void Init(IProcessorContext<string, string> context) { }

        public void Process(Record<string, string> record)
        {
            lock (seen) seen.Add(record.Timestamp);
        }
    }
}
