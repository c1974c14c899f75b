using Confluent.Kafka;
using Otto.Streams.Errors;
using Otto.Streams.SerDes;

namespace Otto.Streams.Runtime;

/// <summary>
/// Sends a thread's output (sink records, changelog records, dead letters) through its producer. Delivery is
/// asynchronous; the first failed delivery is remembered and rethrown on the next send or flush, so the
/// thread never commits offsets past output that was lost.
/// </summary>
internal sealed class RecordCollector
{
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TopicPartition, long> _produced = new();
    private Exception? _sendError;

    public RecordCollector(IProducer<byte[], byte[]> producer)
    {
        _producer = producer;
        _onDelivery = report =>
        {
            if (report.Error.IsError)
                Interlocked.CompareExchange(ref _sendError,
                    new StreamsException($"Failed to deliver a record to {report.TopicPartition}: {report.Error.Reason} ({report.Error.Code})"), null);
            else if (report.Offset.Value >= 0)
                _produced.AddOrUpdate(report.TopicPartition, static (_, offset) => offset, static (_, old, offset) => Math.Max(old, offset), report.Offset.Value);
        };
    }

    /// <summary>Serializes and sends; the producer's partitioner picks the partition from the key bytes.</summary>
    public void Send(string topic, object? key, object? value, ISerDes keySerDes, ISerDes valueSerDes, long timestamp, Headers? headers)
    {
        var keyBytes = key is null ? null : keySerDes.SerializeObject(key, new SerializationContext(MessageComponentType.Key, topic, headers));
        var valueBytes = value is null ? null : valueSerDes.SerializeObject(value, new SerializationContext(MessageComponentType.Value, topic, headers));
        SendRaw(topic, null, keyBytes, valueBytes, timestamp, headers);
    }

    /// <summary>Sends bytes as they are, to a fixed partition when given (changelogs follow their task's partition).</summary>
    public void SendRaw(string topic, int? partition, byte[]? key, byte[]? value, long timestamp, Headers? headers)
    {
        ThrowIfFailed();
        var message = new Message<byte[], byte[]>
        {
            Key = key!,
            Value = value!,
            Timestamp = new Timestamp(Math.Max(0, timestamp), TimestampType.CreateTime),
            Headers = headers,
        };
        while (true)
        {
            try
            {
                if (partition is { } p) _producer.Produce(new TopicPartition(topic, p), message, _onDelivery);
                else _producer.Produce(topic, message, _onDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: let delivery reports drain the local queue, then try again.
                _producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    /// <summary>The offset of the last acknowledged record sent to <paramref name="partition"/>, if any (after
    /// <see cref="Flush"/>: of the last record sent). Stores checkpoint their changelog positions with it.</summary>
    public long? ProducedOffset(TopicPartition partition) => _produced.TryGetValue(partition, out var offset) ? offset : null;

    /// <summary>Waits until every sent record is acknowledged; throws if any delivery failed.</summary>
    public void Flush()
    {
        while (_producer.Flush(TimeSpan.FromSeconds(10)) > 0) { }
        ThrowIfFailed();
    }

    private void ThrowIfFailed()
    {
        if (_sendError is { } error) throw error;
    }
}
