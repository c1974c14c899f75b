using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Confluent.Kafka;

namespace Otto.Streams.Runtime;

/// <summary>Each thread's lag per owned partition (end offset minus position, from the consumer's cached
/// watermarks, so measuring costs no request), observed by the otto.streams.consumer.lag gauge.</summary>
internal static class ConsumerLag
{
    private static readonly ConcurrentDictionary<(string Thread, TopicPartition Partition), long> Lags = new();

    /// <summary>Measures the lag of every partition the consumer owns.</summary>
    public static void Update(string thread, IConsumer<byte[], byte[]> consumer)
    {
        foreach (var tp in consumer.Assignment)
        {
            var end = consumer.GetWatermarkOffsets(tp).High;
            var position = consumer.Position(tp);
            if (end.IsSpecial || position.IsSpecial) continue;
            Lags[(thread, tp)] = Math.Max(0, end.Value - position.Value);
        }
    }

    /// <summary>Forgets partitions the thread no longer owns.</summary>
    public static void Forget(string thread, IEnumerable<TopicPartition> partitions)
    {
        foreach (var tp in partitions) Lags.TryRemove((thread, tp), out _);
    }

    public static IEnumerable<Measurement<long>> Observe() =>
        Lags.Select(kv => new Measurement<long>(kv.Value,
            new KeyValuePair<string, object?>("thread", kv.Key.Thread),
            new KeyValuePair<string, object?>("topic", kv.Key.Partition.Topic),
            new KeyValuePair<string, object?>("partition", kv.Key.Partition.Partition.Value)));
}
