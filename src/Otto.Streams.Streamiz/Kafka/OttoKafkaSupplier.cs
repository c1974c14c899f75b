using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.KafkaNative;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.Metrics;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// Otto's <see cref="IKafkaSupplier"/>: Streamiz's <see cref="DefaultKafkaClientSupplier"/> (same clients, error
/// logging and statistics; librdkafka's log lines through <see cref="LibrdkafkaLog"/>), plus what Otto's layer needs
/// from the clients Streamiz builds. Give one instance to one
/// <see cref="KafkaStream"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>On the embedded cluster (pass it as <c>embedded</c>) the admin client creates the internal topics Streamiz
/// asks for (changelogs, repartition topics, with Streamiz's partition counts) on the mock cluster, which serves no
/// CreateTopics request. On a real cluster (<c>embedded</c> null) the admin client is Streamiz's own, untouched.</item>
/// <item>Each stream thread's consumer remembers the records it handed to Streamiz until they are processed, and each
/// stream thread's producer can carry Otto's own records in step with Streamiz's output: both for
/// <see cref="DeadLetters.DeadLetterQueue"/>.</item>
/// <item>With static membership (<c>main.consumer.group.instance.id</c> set) each stream thread's consumer joins as
/// <c>{id}-{thread index}</c> (<see cref="StaticMembership"/>): Streamiz would give them all the same id.</item>
/// <item>A thread Streamiz gives no producer (its global stream thread, which reads the global tables) sends Otto's
/// records through one producer of the supplier's own, created on first use and disposed with the supplier.</item>
/// </list>
/// </remarks>
public sealed class OttoKafkaSupplier : IKafkaSupplier, IDisposable
{
    // Streamiz names a stream thread's producer client "{thread name}-streamiz-producer" (StreamThread
    // .GetThreadProducerClientId in 1.8) and the stream thread's System.Threading.Thread "{thread name}".
    private const string ThreadProducerSuffix = "-streamiz-producer";

    private readonly DefaultKafkaClientSupplier _clients;
    private readonly EmbeddedKafkaCluster? _embedded;
    private readonly ConcurrentDictionary<string, StreamThreadProducer> _producers = new();
    private readonly ConcurrentQueue<ConsumedRecords> _consumed = new();
    private readonly ILogger _logger;
    private readonly Lazy<IProducer<byte[], byte[]>> _ownProducer;
    // Streamiz 1.8 never disposes the global thread's admin client: on the embedded cluster, whose lifetime is the
    // process's, it would log connection errors once the cluster stops (after every demo and test).
    private readonly ConcurrentQueue<EmbeddedAdminClient> _embeddedAdmins = new();
    private Action? _commitGuard;
    private int _disposed;

    /// <summary>Creates the supplier for a <see cref="KafkaStream"/> built with <paramref name="config"/>.</summary>
    /// <param name="config">The stream's configuration (for Streamiz's client logging and statistics).</param>
    /// <param name="embedded">The embedded cluster the stream runs on, or null on a real cluster.</param>
    public OttoKafkaSupplier(IStreamConfig config, EmbeddedKafkaCluster? embedded = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _clients = new DefaultKafkaClientSupplier(new KafkaLoggerAdapter(config), config, new LoggedClientBuilder(new LibrdkafkaLog(config.Logger)));
        _embedded = embedded;
        _logger = (config.Logger ?? NullLoggerFactory.Instance).CreateLogger<OttoKafkaSupplier>();
        _ownProducer = new(() =>
        {
            var producerConfig = config.ToProducerConfig($"{config.ApplicationId}-otto-producer");
            producerConfig.TransactionalId = null; // it commits nothing: each record is acknowledged before it returns
            return _clients.GetProducer(producerConfig);
        });
    }

    /// <inheritdoc />
    public StreamMetricsRegistry MetricsRegistry
    {
        get => _clients.MetricsRegistry;
        set => _clients.MetricsRegistry = value;
    }

    /// <inheritdoc />
    public IAdminClient GetAdmin(AdminClientConfig config)
    {
        if (_embedded is null)
        {
            return _clients.GetAdmin(config);
        }

        // librdkafka's admin client auto-creates a topic it asks metadata for unless allow.auto.create.topics is
        // false (Streamiz's default, but a StreamConfig may say true), and the mock would make it 4 partitions:
        // Streamiz's topic manager would then find its internal topics with the wrong counts and retry for minutes.
        config.AllowAutoCreateTopics = false;
        var admin = new EmbeddedAdminClient(_clients.GetAdmin(config), _embedded);
        _embeddedAdmins.Enqueue(admin);
        return admin;
    }

    /// <inheritdoc />
    public IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IConsumerRebalanceListener rebalanceListener)
    {
        ArgumentNullException.ThrowIfNull(config);
        // In place: DefaultKafkaClientSupplier finds the thread from the type of config Streamiz passes.
        StaticMembership.ForThread(config);
        var records = new ConsumedRecords();
        _consumed.Enqueue(records);
        // DefaultKafkaClientSupplier sets its error handler only when there is a listener: keep that.
        var listener = rebalanceListener is null ? null : new ForgettingRebalanceListener(rebalanceListener, records);
        return new RecordTrackingConsumer(_clients.GetConsumer(config, listener!), records, GuardCommit, _logger);
    }

    /// <inheritdoc />
    public IProducer<byte[], byte[]> GetProducer(ProducerConfig config)
    {
        var inner = _clients.GetProducer(config);
        var thread = config.ClientId is { } id && id.EndsWith(ThreadProducerSuffix, StringComparison.Ordinal)
            ? id[..^ThreadProducerSuffix.Length]
            : null;
        StreamThreadProducer? producer = null;
        producer = new StreamThreadProducer(inner, !string.IsNullOrEmpty(config.TransactionalId), GuardCommit,
            disposed: () =>
            {
                if (thread is not null)
                {
                    _producers.TryRemove(new KeyValuePair<string, StreamThreadProducer>(thread, producer!));
                }
            });
        if (thread is not null)
        {
            // Streamiz replaces a thread's producer after a fatal transactional error (StreamsProducer.ResetProducer).
            _producers[thread] = producer;
        }

        return producer;
    }

    /// <inheritdoc />
    public IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config) => _clients.GetRestoreConsumer(config);

    /// <inheritdoc />
    public IConsumer<byte[], byte[]> GetGlobalConsumer(ConsumerConfig config) => new GlobalThreadConsumer(_clients.GetGlobalConsumer(config));

    /// <summary>
    /// The producer to send Otto's own records through from the current thread: the one whose delivery report is
    /// being handled here, else the producer of the stream thread running here; null on any other thread.
    /// </summary>
    internal StreamThreadProducer? ProducerForCurrentThread() =>
        StreamThreadProducer.Reporting
        ?? (Thread.CurrentThread.Name is { } name && _producers.TryGetValue(name, out var producer) ? producer : null);

    /// <summary>
    /// Sends a record of Otto's own from a thread that has no stream-thread producer (<see cref="ProducerForCurrentThread"/>
    /// is null: Streamiz's global stream thread) and returns once the cluster acknowledged it. Such a thread commits
    /// no offsets to the group (the global thread checkpoints its own), so only waiting here keeps the record from
    /// being lost when the thread moves past its source.
    /// </summary>
    /// <exception cref="ProduceException{TKey, TValue}">The cluster refused the record or it timed out.</exception>
    internal void ProduceAndWait(string topic, Message<byte[], byte[]> message) =>
        _ownProducer.Value.ProduceAsync(topic, message).GetAwaiter().GetResult();

    /// <summary>Disposes the producer of the supplier's own, if one was created, and on the embedded cluster the admin
    /// clients Streamiz left open. Call it after the stream is disposed.</summary>
    public void Dispose()
    {
        while (_embeddedAdmins.TryDequeue(out var admin)) admin.Dispose();
        if (_ownProducer.IsValueCreated && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ownProducer.Value.Flush(TimeSpan.FromSeconds(10));
            _ownProducer.Value.Dispose();
        }
    }

    /// <summary>How many consumed records the stream threads' consumers hold for dead letters right now.</summary>
    internal int ConsumedRecordsHeld => _consumed.Sum(r => r.Count);

    private void GuardCommit() => Volatile.Read(ref _commitGuard)?.Invoke();

    /// <summary>
    /// Sets what runs before every offset commit of every stream thread (consumer commit, or offsets sent to the
    /// transaction and its commit); throwing from it stops the commit. One guard per supplier.
    /// </summary>
    internal void SetCommitGuard(Action guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        if (Interlocked.CompareExchange(ref _commitGuard, guard, null) is not null)
        {
            throw new InvalidOperationException("This supplier already has a commit guard (one DeadLetterQueue per supplier).");
        }
    }
}
