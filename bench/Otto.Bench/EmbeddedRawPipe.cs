using System.Diagnostics;
using Confluent.Kafka;

namespace Otto.Bench;

/// <summary>The yardstick of the embedded-cluster benchmarks: producing their input, and a raw Confluent.Kafka
/// consume→produce pipe over the same records (idempotent producer, acks=all, like the engine's).</summary>
internal static class EmbeddedRawPipe
{
    public static void Produce(string bootstrap, string topic, IEnumerable<Message<byte[], byte[]>> messages)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap, Partitioner = Partitioner.Murmur2Random, LingerMs = 5, QueueBufferingMaxMessages = 1_000_000,
        }).Build();
        foreach (var m in messages) producer.Produce(topic, m);
        producer.Flush();
    }

    /// <summary>Copies <paramref name="warmUp"/> + <paramref name="records"/> records (key, value, headers) from one topic
    /// to another and times the last <paramref name="records"/>: the clock starts when the consumer has its partitions
    /// (<paramref name="assigned"/> is called then too), so the group join is not counted, and restarts after the
    /// warm-up records. The consumer waits for fetches as the engine's does on the embedded cluster
    /// (DevCluster.ClientProperties).</summary>
    public static TimeSpan Run(string bootstrap, string from, string to, int records, TextWriter output, Action? assigned = null, int warmUp = 0)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap, Partitioner = Partitioner.Murmur2Random, LingerMs = 5, Acks = Acks.All, EnableIdempotence = true,
        }).Build();
        var clock = new Stopwatch();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = $"bench-raw-{from}", AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = true,
            FetchWaitMaxMs = 100,
        }).SetPartitionsAssignedHandler((_, _) =>
        {
            clock.Start();
            assigned?.Invoke();
        }).Build();
        consumer.Subscribe(from);
        var seen = 0;
        var lastReport = Stopwatch.StartNew();
        while (seen < warmUp + records)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (r is null) continue;
            producer.Produce(to, new Message<byte[], byte[]> { Key = r.Message.Key, Value = r.Message.Value, Headers = r.Message.Headers });
            if (++seen == warmUp) clock.Restart();
            if (lastReport.Elapsed > TimeSpan.FromSeconds(5)) { output.WriteLine($"bench: raw pipe {seen:N0}/{warmUp + records:N0}"); lastReport.Restart(); }
        }
        producer.Flush();
        clock.Stop();
        consumer.Close();
        return clock.Elapsed;
    }
}
