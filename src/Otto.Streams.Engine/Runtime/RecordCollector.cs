using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.Errors;
using Otto.Streams.SerDes;

namespace Otto.Streams.Runtime;

/// <summary>
/// Sends a thread's output (sink records, changelog records, dead letters) through its producer. Delivery is
/// asynchronous: a failed delivery is queued by the producer's callback and handled on the stream thread at the
/// next send or flush, by <see cref="StreamConfig.ProductionErrors"/> — fail (rethrown, so the thread never
/// commits offsets past lost output), retry, or continue (dead letter, or logged and counted).
/// </summary>
internal sealed class RecordCollector
{
    private readonly StreamsProducer _producer;
    private readonly StreamConfig _config;
    private readonly ILogger _logger;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onDelivery;
    private readonly Action<DeliveryReport<byte[], byte[]>> _onTrackedDelivery;
    private readonly ConcurrentQueue<(DeliveryReport<byte[], byte[]> Report, int Attempt)> _failed = new();
    private readonly ConcurrentDictionary<TopicPartition, long> _produced = new();
    private long _pending;
    private Exception? _sendError;

    public RecordCollector(StreamsProducer producer, StreamConfig config, ILogger? logger = null)
    {
        _producer = producer;
        _config = config;
        _logger = logger ?? NullLogger.Instance;
        _onDelivery = OnDelivery(0, track: false);
        _onTrackedDelivery = OnDelivery(0, track: true);
    }

    /// <summary>A collector for a plain (non-transactional) producer, as the TopologyTestDriver uses.</summary>
    public RecordCollector(IProducer<byte[], byte[]> producer, StreamConfig config)
        : this(new StreamsProducer(() => producer, transactional: false, TimeSpan.FromSeconds(10)), config) { }

    public StreamsProducer Producer => _producer;

    /// <summary>Serializes and sends; the producer's partitioner picks the partition from the key bytes.</summary>
    public void Send(string topic, object? key, object? value, ISerDes keySerDes, ISerDes valueSerDes, long timestamp, Headers? headers)
    {
        var keyBytes = key is null ? null : keySerDes.SerializeObject(key, new SerializationContext(MessageComponentType.Key, topic, headers));
        var valueBytes = value is null ? null : valueSerDes.SerializeObject(value, new SerializationContext(MessageComponentType.Value, topic, headers));
        SendRaw(topic, keyBytes, valueBytes, timestamp, headers);
    }

    /// <summary>Sends bytes as they are; the producer's partitioner picks the partition from the key bytes.</summary>
    public void SendRaw(string topic, byte[]? key, byte[]? value, long timestamp, Headers? headers) =>
        Produce(topic, null, NewMessage(key, value, timestamp, headers), attempt: 0);

    /// <summary>Sends bytes as they are to a fixed partition (changelogs follow their task's partition); the
    /// caller keeps the <see cref="TopicPartition"/>, so none is allocated per record.</summary>
    public void SendRaw(TopicPartition partition, byte[]? key, byte[]? value, long timestamp, Headers? headers) =>
        Produce(partition.Topic, partition, NewMessage(key, value, timestamp, headers), attempt: 0);

    private Message<byte[], byte[]> NewMessage(byte[]? key, byte[]? value, long timestamp, Headers? headers)
    {
        HandleFailures();
        return new Message<byte[], byte[]>
        {
            Key = key!,
            Value = value!,
            Timestamp = new Timestamp(Math.Max(0, timestamp), TimestampType.CreateTime),
            Headers = headers,
        };
    }

    private void Produce(string topic, TopicPartition? partition, Message<byte[], byte[]> message, int attempt)
    {
        // Only sends to a fixed partition (changelogs) need their offsets remembered, for checkpoints; sparing the
        // others the bookkeeping keeps a TopicPartition allocation and a dictionary update off every output record.
        var track = partition is not null;
        var onDelivery = attempt > 0 ? OnDelivery(attempt, track) : track ? _onTrackedDelivery : _onDelivery;
        _producer.MaybeBeginTransaction();
        Interlocked.Increment(ref _pending);
        while (true)
        {
            try
            {
                if (partition is not null) _producer.Producer.Produce(partition, message, onDelivery);
                else _producer.Producer.Produce(topic, message, onDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // Back-pressure: let delivery reports drain the local queue, then try again.
                _producer.Producer.Poll(TimeSpan.FromMilliseconds(50));
            }
            catch (KafkaException e) when (_producer.Transactional && StreamsProducer.IsFenced(e.Error))
            {
                Interlocked.Decrement(ref _pending);
                throw new TaskMigratedException($"The producer was fenced while sending to {topic}: another instance owns its tasks now.", e);
            }
            catch (ProduceException<byte[], byte[]> e)
            {
                // Refused before it left (too large, unknown partition, ...): handled as a failed delivery, by
                // ProductionErrors, not as an error of the processor that sent it.
                Interlocked.Decrement(ref _pending);
                _failed.Enqueue((new DeliveryReport<byte[], byte[]>
                {
                    Message = message,
                    TopicPartitionOffset = new TopicPartitionOffset(topic, partition?.Partition ?? Partition.Any, Offset.Unset),
                    Status = PersistenceStatus.NotPersisted,
                    Error = e.Error,
                }, attempt));
                return;
            }
            catch
            {
                Interlocked.Decrement(ref _pending);
                throw;
            }
        }
    }

    // Runs on the producer's delivery thread: only queue the failure; the stream thread decides what to do.
    private Action<DeliveryReport<byte[], byte[]>> OnDelivery(int attempt, bool track) => report =>
    {
        if (report.Error.IsError) _failed.Enqueue((report, attempt));
        else if (track && report.Offset.Value >= 0)
            _produced.AddOrUpdate(report.TopicPartition, static (_, offset) => offset, static (_, old, offset) => Math.Max(old, offset), report.Offset.Value);
        Interlocked.Decrement(ref _pending);
    };

    /// <summary>The offset of the last acknowledged record sent to the fixed <paramref name="partition"/> (as
    /// changelog records are), if any (after
    /// <see cref="Flush"/>: of the last record sent). Stores checkpoint their changelog positions with it.</summary>
    public long? ProducedOffset(TopicPartition partition) => _produced.TryGetValue(partition, out var offset) ? offset : null;

    /// <summary>Waits until every sent record is acknowledged or handled; throws if output was lost.</summary>
    public void Flush()
    {
        do
        {
            while (_producer.Producer.Flush(TimeSpan.FromSeconds(10)) > 0) { }
            // Flush returns once the reports are taken off the queue; their callbacks may still be running.
            var spin = new SpinWait();
            while (Interlocked.Read(ref _pending) > 0)
            {
                if (spin.NextSpinWillYield) _producer.Producer.Poll(TimeSpan.FromMilliseconds(1));
                spin.SpinOnce();
            }
        }
        while (HandleFailures());
    }

    /// <summary>Forgets failures of output that an aborted transaction threw away anyway.</summary>
    public void Reset()
    {
        _failed.Clear();
        _sendError = null;
    }

    /// <summary>Handles the queued delivery failures; true when some record was sent again.</summary>
    private bool HandleFailures()
    {
        if (_sendError is { } error) throw error;
        var resent = false;
        while (_failed.TryDequeue(out var failure))
            resent |= Handle(failure.Report, failure.Attempt);
        return resent;
    }

    private bool Handle(DeliveryReport<byte[], byte[]> report, int attempt)
    {
        var where = report.TopicPartition;
        var reason = $"{report.Error.Reason} ({report.Error.Code})";
        if (_producer.Transactional && StreamsProducer.IsFenced(report.Error))
            throw new TaskMigratedException($"The producer was fenced while sending to {where}: {reason}");
        switch (_config.ProductionErrors)
        {
            case ProductionErrorHandling.Retry when IsRetriable(report.Error.Code) && attempt < _config.ProductionRetries:
                StreamsMetrics.ProductionRetries.Add(1, new KeyValuePair<string, object?>("topic", where.Topic));
                _logger.LogWarning("Sending to {Partition} failed: {Reason}; retry {Attempt} of {Max}", where, reason, attempt + 1, _config.ProductionRetries);
                Produce(where.Topic, where.Partition.Value >= 0 ? where : null, report.Message, attempt + 1);
                return true;
            case ProductionErrorHandling.Continue:
                return GiveUp(report, reason);
            default:
                throw _sendError = new StreamsException($"Failed to deliver a record to {where}: {reason}" +
                    (attempt > 0 ? $" after {attempt} retries" : ""));
        }
    }

    /// <summary>Dead-letters or drops the record; true when a dead letter was sent.</summary>
    private bool GiveUp(DeliveryReport<byte[], byte[]> report, string reason)
    {
        var dlq = _config.DeadLetterTopic;
        if (dlq is not null && report.Topic != dlq)
        {
            var message = report.Message;
            SendRaw(dlq, message.Key, message.Value, message.Timestamp.UnixTimestampMs,
                DeadLetterHeaders.ForProduction(report, reason));
            StreamsMetrics.DeadLetters.Add(1, new KeyValuePair<string, object?>("stage", DeadLetterHeaders.ProductionStage),
                new KeyValuePair<string, object?>("topic", report.Topic));
            _logger.LogWarning("A record for {Partition} could not be delivered ({Reason}); sent to dead-letter topic {Dlq}", report.TopicPartition, reason, dlq);
            return true;
        }
        else
        {
            StreamsMetrics.RecordsDropped.Add(1, new KeyValuePair<string, object?>("reason", DeadLetterHeaders.ProductionStage));
            _logger.LogError("A record for {Partition} could not be delivered ({Reason}); dropped", report.TopicPartition, reason);
            return false;
        }
    }

    /// <summary>Errors that a later attempt may not meet: timeouts, leadership changes, lost connections.</summary>
    public static bool IsRetriable(ErrorCode code) => code is
        ErrorCode.Local_MsgTimedOut or ErrorCode.Local_TimedOut or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or
        ErrorCode.RequestTimedOut or ErrorCode.NotLeaderForPartition or ErrorCode.LeaderNotAvailable or ErrorCode.NetworkException or
        ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend or ErrorCode.UnknownTopicOrPart or ErrorCode.BrokerNotAvailable;
}
