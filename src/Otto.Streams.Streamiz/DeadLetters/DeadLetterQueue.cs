using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.Streamiz.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Errors;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;

namespace Otto.Streams.Streamiz.DeadLetters;

/// <summary>
/// Otto's dead-letter topic for one <see cref="KafkaStream"/>: a record that cannot be deserialized, that a
/// processor throws on, or that the cluster refuses is written there with its ORIGINAL key, value and headers plus
/// <see cref="DeadLetterHeaders"/>, counted (<see cref="DeadLetterMetrics"/>), logged as a warning, and skipped:
/// it never blocks its partition. A systemic failure (<see cref="IsSystemic"/>) is never dead-lettered: it stops
/// the stream thread instead.
/// </summary>
/// <remarks>
/// <para>Dead letters go through the producer Streamiz created for the stream thread (captured by
/// <see cref="OttoKafkaSupplier"/>), so Streamiz's commit flushes them with its own output before it commits the
/// source offsets, and under exactly-once they are part of the thread's transaction. A dead letter the cluster
/// refuses stops the thread at the next commit, before the source record's offset is committed.</para>
/// <para>Wiring (the handlers are Streamiz's own extension points):</para>
/// <code>
/// var supplier = new OttoKafkaSupplier(config, embedded);
/// var deadLetters = new DeadLetterQueue(supplier, "pc.qa.pmt.dlq.otto", ProductionErrorHandling.Continue, loggerFactory);
/// config.DeserializationExceptionHandler = deadLetters.HandleDeserializationError;
/// config.ProductionExceptionHandler = deadLetters.HandleProductionError;
/// stream.Transform(deadLetters.Transformer(() => new MyTransformer()));
/// using var kafkaStream = new KafkaStream(builder.Build(), config, supplier);
/// </code>
/// </remarks>
public sealed class DeadLetterQueue
{
    private readonly OttoKafkaSupplier _supplier;
    private readonly ProductionErrorHandling _production;
    private readonly ILogger _logger;

    // Streamiz deserializes a record twice (to extract its timestamp when it reaches the head of its partition's
    // queue, then to process it) and asks about key and value separately: one dead letter per consumed record.
    private readonly ConditionalWeakTable<ConsumeResult<byte[], byte[]>, object> _deserializationDeadLettered = [];

    private Exception? _deliveryFailure;

    /// <summary>Creates the dead-letter topic handling of the stream that <paramref name="supplier"/> serves.</summary>
    /// <param name="supplier">The stream's supplier (one dead-letter queue per supplier).</param>
    /// <param name="topic">The dead-letter topic; it must exist (it is not one of Streamiz's internal topics).</param>
    /// <param name="production">What <see cref="HandleProductionError"/> does with a record the cluster refuses.</param>
    /// <param name="loggerFactory">For the warning per dead letter; none by default.</param>
    public DeadLetterQueue(OttoKafkaSupplier supplier, string topic,
        ProductionErrorHandling production = ProductionErrorHandling.Fail, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(supplier);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        _supplier = supplier;
        Topic = topic;
        _production = production;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DeadLetterQueue>();
        supplier.SetCommitGuard(ThrowIfDeliveryFailed);
    }

    /// <summary>The dead-letter topic.</summary>
    public string Topic { get; }

    /// <summary>
    /// True when <paramref name="error"/> is not the record's fault and must stop the worker rather than be
    /// dead-lettered record by record: the exception, or one of its inner exceptions, derives from Streamiz's
    /// <see cref="StreamsException"/> (Otto's RegistryFailureException does: the registry is down, a subject is
    /// missing, credentials are refused), or is one of Streamiz's own exceptions (task migrated, production or
    /// deserialization failure already decided, illegal state), which are Streamiz's control flow.
    /// </summary>
    public static bool IsSystemic(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is StreamsException || e.GetType().Assembly == typeof(StreamsException).Assembly)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Streamiz's <see cref="IStreamConfig.DeserializationExceptionHandler"/>: dead-letters the record and returns
    /// CONTINUE (Streamiz skips it); for a systemic error returns FAIL, which stops the stream thread.
    /// </summary>
    public ExceptionHandlerResponse HandleDeserializationError(ProcessorContext context, ConsumeResult<byte[], byte[]> record, Exception error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(error);
        if (IsSystemic(error))
        {
            _logger.LogError("Stopping: {Error} ({Type}) while deserializing {Topic}[{Partition}]@{Offset} is not the record's fault",
                DeadLetterHeaders.Messages(error), error.GetType().FullName, record.Topic, record.Partition.Value, record.Offset.Value);
            return ExceptionHandlerResponse.FAIL;
        }

        if (!_deserializationDeadLettered.TryAdd(record, record))
        {
            return ExceptionHandlerResponse.CONTINUE;
        }

        try
        {
            Send(record, DeadLetterHeaders.DeserializationStage, context.Id.ToString(), error);
            return ExceptionHandlerResponse.CONTINUE;
        }
        catch (Exception e)
        {
            // FAIL rather than throw: Streamiz then stops the thread with its own DeserializationException.
            _logger.LogError(e, "Stopping: {Topic}[{Partition}]@{Offset} could not be dead-lettered", record.Topic, record.Partition.Value, record.Offset.Value);
            return ExceptionHandlerResponse.FAIL;
        }
    }

    /// <summary>
    /// Streamiz's <see cref="IStreamConfig.ProductionExceptionHandler"/>, following <see cref="ProductionErrorHandling"/>.
    /// With Continue the refused record goes to the dead-letter topic (stage "production", topic and partition where
    /// it was going, offset -1) and Streamiz goes on.
    /// </summary>
    public ProductionExceptionHandlerResponse HandleProductionError(DeliveryReport<byte[], byte[]> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var reason = $"{report.Error.Reason} ({report.Error.Code})";
        switch (_production)
        {
            case ProductionErrorHandling.Retry:
                return IsRetriable(report.Error.Code) ? ProductionExceptionHandlerResponse.RETRY : ProductionExceptionHandlerResponse.FAIL;
            case ProductionErrorHandling.Continue when report.Topic != Topic:
                var producer = _supplier.ProducerForCurrentThread();
                if (producer is null)
                {
                    _logger.LogError("Stopping: a record for {Topic}[{Partition}] was refused ({Reason}) and there is no stream-thread producer here to dead-letter it",
                        report.Topic, report.Partition.Value, reason);
                    return ProductionExceptionHandlerResponse.FAIL;
                }

                var message = report.Message;
                try
                {
                    producer.ProduceOwn(Topic, new Message<byte[], byte[]>
                    {
                        Key = message.Key,
                        Value = message.Value,
                        Timestamp = CreateTime(message.Timestamp),
                        Headers = DeadLetterHeaders.ForProduction(report, reason),
                    }, OnDelivered);
                }
                catch (Exception e)
                {
                    // Thrown out of this handler, an exception would be swallowed by the delivery report callback and
                    // the record lost without a trace.
                    _logger.LogError(e, "Stopping: a record for {Topic}[{Partition}] was refused ({Reason}) and could not be dead-lettered",
                        report.Topic, report.Partition.Value, reason);
                    return ProductionExceptionHandlerResponse.FAIL;
                }

                Counted(DeadLetterHeaders.ProductionStage, report.Topic);
                _logger.LogWarning("A record for {Topic}[{Partition}] was refused ({Reason}); sent to dead-letter topic {DeadLetterTopic}",
                    report.Topic, report.Partition.Value, reason, Topic);
                return ProductionExceptionHandlerResponse.CONTINUE;
            default:
                return ProductionExceptionHandlerResponse.FAIL;
        }
    }

    /// <summary>
    /// Dead-letters the record the processor behind <paramref name="context"/> is processing (its original bytes and
    /// headers as consumed), for a processor that catches its own errors; a systemic <paramref name="error"/> is
    /// rethrown instead. Call it on the stream thread, from Process.
    /// </summary>
    /// <exception cref="StreamsException">The record's original bytes are not known (the stream was not built with
    /// <see cref="OttoKafkaSupplier"/>, or this is a punctuation, not a record), or it could not be sent.</exception>
    public void Send(ProcessorContext context, Exception error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        if (IsSystemic(error))
        {
            ExceptionDispatchInfo.Throw(error);
        }

        var record = ConsumedRecords.Current?.Find(context.Topic, context.Partition, context.Offset)
            ?? throw new StreamsException(
                $"Cannot dead-letter {context.Topic}[{context.Partition.Value}]@{context.Offset}: its original bytes are unknown " +
                $"(is the stream built with {nameof(OttoKafkaSupplier)}, and is this a record, not a punctuation?)", error);
        Send(record, DeadLetterHeaders.ProcessingStage, context.Id.ToString(), error);
    }

    /// <summary>
    /// A <see cref="TransformerSupplier{K, V, K1, V1}"/> for <c>Transform</c>/<c>TransformValues</c> whose
    /// transformers (one per task, from <paramref name="create"/>) dead-letter the record they throw on and forward
    /// nothing for it.
    /// </summary>
    public TransformerSupplier<K, V, K1, V1> Transformer<K, V, K1, V1>(Func<ITransformer<K, V, K1, V1>> create, IStoreBuilder? stateStore = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        var builder = TransformerBuilder.New<K, V, K1, V1>().Transformer<DeadLetterTransformer<K, V, K1, V1>>(this, create);
        return (stateStore is null ? builder : builder.StateStore(stateStore)).Build();
    }

    /// <summary>
    /// A <see cref="ProcessorSupplier{K, V}"/> for <c>Process</c> whose processors (one per task, from
    /// <paramref name="create"/>) dead-letter the record they throw on.
    /// </summary>
    public ProcessorSupplier<K, V> Processor<K, V>(Func<IProcessor<K, V>> create, IStoreBuilder? stateStore = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        var builder = ProcessorBuilder.New<K, V>().Processor<DeadLetterProcessor<K, V>>(this, create);
        return (stateStore is null ? builder : builder.StateStore(stateStore)).Build();
    }

    /// <summary>Tells the consumed-record index that the record behind <paramref name="context"/> is being
    /// processed, so its partition's earlier records are done.</summary>
    internal static void Processing(ProcessorContext context) =>
        ConsumedRecords.Current?.ForgetBefore(context.Topic, context.Partition, context.Offset);

    private void Send(ConsumeResult<byte[], byte[]> source, string stage, string task, Exception error)
    {
        var original = source.Message;
        var deadLetter = new Message<byte[], byte[]>
        {
            Key = original.Key,
            Value = original.Value,
            Timestamp = CreateTime(original.Timestamp),
            Headers = DeadLetterHeaders.For(source, stage, task, error),
        };
        if (_supplier.ProducerForCurrentThread() is { } producer)
        {
            producer.ProduceOwn(Topic, deadLetter, OnDelivered);
        }
        else
        {
            // Streamiz's global stream thread (a global table's topic) has no producer of its own.
            _supplier.ProduceAndWait(Topic, deadLetter);
        }

        Counted(stage, source.Topic);
        _logger.LogWarning("Task {Task}: {Stage} failed for {Topic}[{Partition}]@{Offset}, sent to dead-letter topic {DeadLetterTopic}: {Error}",
            task, stage, source.Topic, source.Partition.Value, source.Offset.Value, Topic, DeadLetterHeaders.Messages(error));
    }

    // A producer accepts only create times: a record read from a log-append-time topic, or a delivery report,
    // carries another type.
    private static Timestamp CreateTime(Timestamp timestamp) => timestamp.Type == TimestampType.NotAvailable
        ? Timestamp.Default
        : new Timestamp(timestamp.UnixTimestampMs, TimestampType.CreateTime);

    private static void Counted(string stage, string topic) =>
        DeadLetterMetrics.DeadLetters.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("topic", topic));

    private void OnDelivered(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            var failure = new StreamsException($"A dead letter for {Topic} could not be written: {report.Error.Reason} ({report.Error.Code}); " +
                "the source records' offsets are not committed");
            Interlocked.CompareExchange(ref _deliveryFailure, failure, null);
            _logger.LogError("{Failure}", failure.Message);
        }
    }

    // Runs before every offset commit (OttoKafkaSupplier), after Streamiz flushed the producer: once a dead letter is
    // lost, no commit may pass the record it stood for. The failure stays: the stream has to stop.
    private void ThrowIfDeliveryFailed()
    {
        if (Volatile.Read(ref _deliveryFailure) is { } failure)
        {
            throw new StreamsException(failure.Message, failure);
        }
    }

    /// <summary>Errors that a later attempt may not meet: timeouts, leadership changes, lost connections.</summary>
    private static bool IsRetriable(ErrorCode code) => code is
        ErrorCode.Local_MsgTimedOut or ErrorCode.Local_TimedOut or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or
        ErrorCode.RequestTimedOut or ErrorCode.NotLeaderForPartition or ErrorCode.LeaderNotAvailable or ErrorCode.NetworkException or
        ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend or ErrorCode.UnknownTopicOrPart or ErrorCode.BrokerNotAvailable;
}
