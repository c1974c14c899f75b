using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Errors;

namespace Otto.Streams.Runtime;

/// <summary>Reads a changelog partition from its start to its current end and hands each record to a store.</summary>
public interface IChangelogReader
{
    /// <summary>Applies every record of <paramref name="partition"/> up to the end seen at the start; returns the count.</summary>
    long Restore(TopicPartition partition, Action<byte[], byte[]?> apply);
}

/// <summary>Restores with a group-less consumer that is assigned one changelog partition at a time.</summary>
internal sealed class ConsumerChangelogReader(IConsumer<byte[], byte[]> consumer, ILogger logger, TimeSpan timeout) : IChangelogReader
{
    public long Restore(TopicPartition partition, Action<byte[], byte[]?> apply)
    {
        var watermarks = consumer.QueryWatermarkOffsets(partition, timeout);
        if (watermarks.High.Value <= watermarks.Low.Value) return 0;
        var end = watermarks.High.Value;
        logger.LogInformation("Restoring {Partition} from offset {Low} to {High}", partition, watermarks.Low.Value, end);

        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        long count = 0, position = watermarks.Low.Value;
        var deadline = DateTime.UtcNow + timeout;
        try
        {
            while (position < end)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null)
                {
                    if (DateTime.UtcNow > deadline)
                        throw new StreamsException($"Restoring {partition} stalled at offset {position} of {end}.");
                    continue;
                }
                if (result.IsPartitionEOF) break;
                apply(result.Message.Key, result.Message.Value);
                position = result.Offset.Value + 1;
                count++;
                deadline = DateTime.UtcNow + timeout;
            }
        }
        finally
        {
            consumer.Unassign();
        }
        StreamsMetrics.RecordsRestored.Add(count, new KeyValuePair<string, object?>("topic", partition.Topic));
        logger.LogInformation("Restored {Count} records of {Partition}", count, partition);
        return count;
    }
}
