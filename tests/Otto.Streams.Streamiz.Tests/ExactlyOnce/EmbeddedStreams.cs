using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.EmbeddedKafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Streams.Streamiz.Tests.ExactlyOnce;

/// <summary>Runs real KafkaStreams on the embedded cluster the way DESIGN.md says works (shared by the Metrics tests).</summary>
internal static class EmbeddedStreams
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static StreamConfig<StringSerDes, StringSerDes> Config(
        EmbeddedKafkaCluster cluster, string applicationId, string stateDir, ProcessingGuarantee guarantee)
    {
        var config = new StreamConfig<StringSerDes, StringSerDes>();
        // Guarantee first: setting it resets CommitIntervalMs.
        config.Guarantee = guarantee;
        config.ApplicationId = applicationId;
        config.BootstrapServers = cluster.BootstrapServers;
        config.StateDir = stateDir;
        config.CommitIntervalMs = 100;
        config.PollMs = 50;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        // The mock completes a rebalance only after a departed member's session timeout.
        config.SessionTimeoutMs = 6000;
        config.HeartbeatIntervalMs = 500;
        config.Logger = NullLoggerFactory.Instance;
        return config;
    }

    /// <summary>Produces with the Java clients' key hashing, as Streamiz's tasks expect.</summary>
    public static void Produce(EmbeddedKafkaCluster cluster, string topic, IEnumerable<KeyValuePair<string, string>> records)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
        foreach (var (key, value) in records)
        {
            producer.Produce(topic, new Message<string, string> { Key = key, Value = value });
        }

        producer.Flush(Deadline);
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; throws after the deadline.</summary>
    public static void Until(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Deadline;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0}s waiting for: {what}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>A fresh state directory under the temp folder; the caller deletes it.</summary>
    public static string NewStateDirectory() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "otto-streamiz-tests", Guid.NewGuid().ToString("N"))).FullName;
}
