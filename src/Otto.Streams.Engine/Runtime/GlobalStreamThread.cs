using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Errors;

namespace Otto.Streams.Runtime;

/// <summary>
/// Keeps the global tables current: <see cref="Bootstrap"/> reads every partition of their topics from the start
/// up to the end offsets seen when it began (stream threads start only after), then a background thread keeps
/// applying new records with the same group-less consumer.
/// </summary>
internal sealed class GlobalStreamThread : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly RecordCollector _deadLetters;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _stopRequested;

    public GlobalStreamThread(GlobalStateStores stores, StreamConfig config, IKafkaSupplier supplier, ILoggerFactory loggers)
    {
        Stores = stores;
        _logger = loggers.CreateLogger<GlobalStreamThread>();
        _consumer = supplier.GetRestoreConsumer(KafkaClientConfigs.RestoreConsumer(config, config.ApplicationId + "-GlobalStreamThread"));
        // Only dead letters are produced here; they are flushed after loading and on close.
        _producer = supplier.GetProducer(KafkaClientConfigs.Producer(config, config.ApplicationId + "-GlobalStreamThread"));
        _deadLetters = new RecordCollector(_producer, config);
        _thread = new Thread(Run) { Name = config.ApplicationId + "-GlobalStreamThread", IsBackground = true };
    }

    public GlobalStateStores Stores { get; }

    /// <summary>The exception that stopped the update loop, if any.</summary>
    public Exception? FatalError { get; private set; }

    /// <summary>Loads every partition of the global topics up to its current end; returns the records applied.</summary>
    public long Bootstrap(IReadOnlyDictionary<string, int> partitionCounts, TimeSpan timeout)
    {
        var partitions = Stores.Topics.SelectMany(t => Enumerable.Range(0, partitionCounts[t]).Select(p => new TopicPartition(t, p))).ToList();
        var remaining = partitions.ToDictionary(tp => tp, tp => _consumer.QueryWatermarkOffsets(tp, timeout).High.Value);
        _consumer.Assign(partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning)));
        long applied = 0;
        var deadline = DateTime.UtcNow + timeout;
        foreach (var done in remaining.Where(r => r.Value <= 0).Select(r => r.Key).ToList()) remaining.Remove(done);
        while (remaining.Count > 0)
        {
            var record = _consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null)
            {
                if (DateTime.UtcNow > deadline)
                    throw new StreamsException($"Loading global tables stalled; still waiting for {string.Join(", ", remaining.Keys)}.");
                continue;
            }
            deadline = DateTime.UtcNow + timeout;
            if (!record.IsPartitionEOF)
            {
                Stores.Apply(record, _deadLetters);
                applied++;
                if (applied % 100_000 == 0) _logger.LogInformation("Global tables: {Count} records loaded", applied);
            }
            if (remaining.TryGetValue(record.TopicPartition, out var end) && (record.IsPartitionEOF || record.Offset.Value + 1 >= end))
                remaining.Remove(record.TopicPartition);
        }
        _deadLetters.Flush();
        StreamsMetrics.RecordsRestored.Add(applied, new KeyValuePair<string, object?>("topic", "global"));
        _logger.LogInformation("Global tables loaded: {Count} records from {Partitions} partitions", applied, partitions.Count);
        return applied;
    }

    /// <summary>Starts applying new records in the background.</summary>
    public void Start() => _thread.Start();

    private void Run()
    {
        try
        {
            while (!_stopRequested)
            {
                var record = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (record is null || record.IsPartitionEOF) continue;
                Stores.Apply(record, _deadLetters);
            }
        }
        catch (Exception e)
        {
            FatalError = e;
            _logger.LogError(e, "The global stream thread failed; global tables are no longer updated");
        }
    }

    public void Dispose()
    {
        _stopRequested = true;
        if (_thread.IsAlive) _thread.Join(TimeSpan.FromSeconds(10));
        _consumer.Close();
        _consumer.Dispose();
        try { _deadLetters.Flush(); }
        catch (Exception e) { _logger.LogWarning(e, "Dead letters of the global tables could not be flushed"); }
        _producer.Dispose();
        Stores.Close();
    }
}
