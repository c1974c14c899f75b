using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.KafkaNative;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;

namespace Otto.Streams.Streamiz.Instances;

/// <summary>
/// Which instance of an application holds which partition, for a read side that routes a key's query to the
/// instance whose local store has it. Kafka Streams learns that from the group protocol (application.server);
/// Streamiz 1.8 has neither that nor any metadata, and Confluent.Kafka cannot put user data into the group protocol.
/// So each instance publishes its advertised URL and the partitions its stream threads hold (learned through
/// <see cref="Track"/>) to the compacted topic <c>{application.id}-instances</c> (key: the URL; partition 0), at
/// once after each change of its assignment and every heartbeat, and a tombstone when it is disposed; every instance
/// reads that partition from its start and keeps the latest entry per URL.
/// <para>The topic must exist: one partition, <c>cleanup.policy=compact,delete</c> (only the latest entry per
/// instance matters; entries of instances gone without a tombstone age out). On a real cluster the platform team
/// creates it with the application's other topics; on the embedded cluster, create it with
/// <c>EmbeddedKafkaCluster.CreateTopic(TopicFor(applicationId), 1)</c> (the mock serves no CreateTopics).</para>
/// <para>Eventually consistent: after a rebalance the others see the new owner within one poll (100 ms) plus a
/// produce and fetch round trip, and until then route to the former owner or to none. An entry not refreshed within
/// three heartbeats is taken for a crashed instance; its age is measured with its writer's record timestamp, so
/// instance clocks must agree well within that.</para>
/// </summary>
/// <example>
/// <code>
/// using var directory = new InstanceDirectory(config, new Uri("http://10.0.0.5:9464/"));
/// var stream = new KafkaStream(topology, config, directory.Track(supplier));
/// directory.Start(stream);
/// await stream.StartAsync();
/// var where = directory.Locate("payments-topic", Encoding.UTF8.GetBytes(id), Partitioner.Murmur2Random);
/// // where.IsLocal: read stream.Store(...) unless directory.Restoring("payments", topic) has where.Partition;
/// // else ask where.Owner (null: nobody holds it now)
/// </code>
/// </example>
public sealed class InstanceDirectory : IDisposable
{
    /// <summary>How often an instance republishes itself when nothing changed.</summary>
    public static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(10);

    private const int TopicPartitionId = 0;
    // Bounds how late an assignment change is published, and how soon Dispose stops the loop.
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _heartbeat;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly IAdminClient _admin;
    private readonly Thread _thread;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, InstanceEntry> _others = [];
    private readonly Dictionary<string, int> _partitionCounts = [];
    private readonly Dictionary<string, HashSet<int>> _restored = [];
    private AssignmentTracker? _tracker;
    private volatile bool _publishRequested = true;
    private volatile bool _stop;
    private bool _started;

    /// <summary>A directory for the application of <paramref name="config"/> (its clients are built from Streamiz's
    /// producer and restore-consumer settings, so security settings apply alike).</summary>
    /// <param name="config">The stream's configuration.</param>
    /// <param name="advertisedUrl">Where the other instances reach this one's read side.</param>
    /// <param name="heartbeat">How often to republish when nothing changed (default <see cref="DefaultHeartbeat"/>);
    /// entries expire after three.</param>
    /// <param name="time">The clock of heartbeats, record timestamps and expiry.</param>
    public InstanceDirectory(IStreamConfig config, Uri advertisedUrl, TimeSpan? heartbeat = null, TimeProvider? time = null)
    {
        if (!advertisedUrl.IsAbsoluteUri) throw new ArgumentException($"'{advertisedUrl}' is not an absolute URL", nameof(advertisedUrl));
        Self = advertisedUrl;
        Topic = TopicFor(config.ApplicationId);
        _heartbeat = heartbeat ?? DefaultHeartbeat;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_heartbeat, TimeSpan.Zero, nameof(heartbeat));
        _time = time ?? TimeProvider.System;
        _logger = (config.Logger ?? NullLoggerFactory.Instance).CreateLogger<InstanceDirectory>();
        var clientId = $"{config.ApplicationId}-instances-{Guid.NewGuid():N}";
        var log = new LibrdkafkaLog(config.Logger);
        _producer = new ProducerBuilder<byte[], byte[]>(config.ToProducerConfig(clientId)).SetLogHandler(log.Write).Build();
        // Assigned, never subscribed and never committing: the group id Streamiz gives it is not joined.
        _consumer = new ConsumerBuilder<byte[], byte[]>(config.ToRestoreConsumerConfig(clientId)).SetLogHandler(log.Write).Build();
        _admin = new DependentAdminClientBuilder(_producer.Handle).Build();
        _thread = new Thread(Run) { Name = clientId, IsBackground = true };
    }

    /// <summary>The instances topic of an application.</summary>
    public static string TopicFor(string applicationId) => $"{applicationId}-instances";

    /// <summary>The instances topic this directory reads and writes.</summary>
    public string Topic { get; }

    /// <summary>This instance's advertised URL.</summary>
    public Uri Self { get; }

    /// <summary>How long an entry stands without being refreshed.</summary>
    public TimeSpan ExpiresAfter => _heartbeat * 3;

    /// <summary>The Kafka clients for the KafkaStream of this instance: <paramref name="clients"/>, with the stream
    /// threads' rebalances watched so the directory knows (and publishes) the partitions they hold. Call once.</summary>
    public IKafkaSupplier Track(IKafkaSupplier clients)
    {
        var tracker = new AssignmentTracker(clients);
        if (Interlocked.CompareExchange(ref _tracker, tracker, null) is not null)
            throw new InvalidOperationException("The directory already tracks a stream's clients.");
        tracker.Changed += () =>
        {
            // A topic's partition count changes only with a rebalance (the consumers see the new partitions), so
            // the counts are asked for again after each change of the assignment.
            lock (_lock) _partitionCounts.Clear();
            _publishRequested = true;
        };
        // A partition given up is no longer restored here; when it comes back, its restoration ends again. Changelog
        // partitions are numbered as their task's source partitions: the number is all that links them here.
        tracker.Revoked += revoked =>
        {
            lock (_lock)
                foreach (var partitions in _restored.Values)
                    partitions.ExceptWith(revoked.Select(p => p.Partition.Value));
        };
        return tracker;
    }

    /// <summary>Starts publishing this instance and reading the others, and follows the restorations of
    /// <paramref name="stream"/> (the stream built with <see cref="Track"/>'s clients; call this before its
    /// StartAsync, so no restoration is missed).</summary>
    public void Start(KafkaStream? stream = null)
    {
        lock (_lock)
        {
            if (_started) throw new InvalidOperationException("The directory is already started.");
            _started = true;
        }
        if (stream is not null)
        {
            stream.OnRestoreStartEvent += (changelog, store, _, _) => { lock (_lock) RestoredOf(store).Remove(changelog.Partition.Value); };
            stream.OnRestoreEndEvent += (changelog, store, _) => { lock (_lock) RestoredOf(store).Add(changelog.Partition.Value); };
        }
        _consumer.Assign(new TopicPartitionOffset(Topic, TopicPartitionId, Offset.Beginning));
        _thread.Start();
    }

    /// <summary>The partitions of <paramref name="topic"/> this instance holds whose task has not yet finished
    /// restoring <paramref name="store"/> (a store with a changelog) since it got them. Streamiz 1.8 reports RUNNING,
    /// and <c>KafkaStream.Store</c> reads a task's store, while the task still restores it (StreamThread sets RUNNING
    /// after its first loop following an assignment, whatever the restoration; the store provider reads every active
    /// task; restoration starts after RUNNING): a read there may miss records or see old values.</summary>
    public IReadOnlySet<int> Restoring(string store, string topic)
    {
        var held = LocalPartitions.Where(p => p.Topic == topic).Select(p => p.Partition.Value).ToHashSet();
        lock (_lock) held.ExceptWith(RestoredOf(store));
        return held;
    }

    // Partitions whose restoration of the store ended since this instance got them (Streamiz raises the start and
    // the end for every task it creates, also when there is nothing to restore).
    private HashSet<int> RestoredOf(string store)
    {
        if (!_restored.TryGetValue(store, out var partitions)) _restored[store] = partitions = [];
        return partitions;
    }

    /// <summary>The partitions this instance's stream threads hold now.</summary>
    public IReadOnlySet<TopicPartition> LocalPartitions => _tracker?.Partitions ?? new HashSet<TopicPartition>();

    /// <summary>The other instances whose entries have not expired.</summary>
    public IReadOnlyList<InstanceEntry> Others()
    {
        var now = _time.GetUtcNow();
        lock (_lock) return _others.Values.Where(e => e.IsLive(now)).ToList();
    }

    /// <summary>Where the record with key <paramref name="key"/> (serialized) of <paramref name="topic"/> lives, placed
    /// as its producers place it (<paramref name="partitioner"/>: Streamiz's producers and Java's use murmur2): here,
    /// at another instance (the most recent claim when two claim it during a rebalance), or nowhere now.</summary>
    /// <exception cref="KafkaException">The topic's partition count could not be read.</exception>
    public KeyLocation Locate(string topic, ReadOnlySpan<byte> key, Partitioner partitioner)
    {
        var partition = new TopicPartition(topic, KeyPartitioner.PartitionFor(partitioner, key, PartitionCount(topic)));
        if (_tracker?.Holds(partition) == true) return new KeyLocation(partition.Partition.Value, IsLocal: true, Owner: null);
        var owner = Others().Where(e => e.Holds(partition)).MaxBy(e => e.PublishedAt);
        return new KeyLocation(partition.Partition.Value, IsLocal: false, owner?.Url);
    }

    /// <summary>The partition count of <paramref name="topic"/>, from the cluster's metadata (kept until the
    /// assignment changes).</summary>
    /// <exception cref="KafkaException">The metadata could not be read, or the topic does not exist.</exception>
    public int PartitionCount(string topic)
    {
        lock (_lock)
            if (_partitionCounts.TryGetValue(topic, out var known)) return known;
        var metadata = _admin.GetMetadata(topic, MetadataTimeout).Topics.SingleOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
            throw new KafkaException(metadata?.Error is { IsError: true } error ? error : new Error(ErrorCode.UnknownTopicOrPart, $"no partitions of {topic}"));
        lock (_lock) _partitionCounts[topic] = metadata.Partitions.Count;
        return metadata.Partitions.Count;
    }

    private void Run()
    {
        var nextHeartbeat = DateTimeOffset.MinValue;
        while (!_stop)
        {
            try
            {
                var now = _time.GetUtcNow();
                if (_publishRequested || now >= nextHeartbeat)
                {
                    _publishRequested = false;
                    Publish(InstanceEntry.Encode(Self, LocalPartitions, ExpiresAfter));
                    nextHeartbeat = now + _heartbeat;
                }
                if (_consumer.Consume(PollTimeout) is { IsPartitionEOF: false } record) Apply(record);
            }
            catch (Exception e) when (e is KafkaException or FormatException)
            {
                // The directory only serves queries: a bad entry or a client error must never stop this instance.
                _logger.LogWarning("Instance directory on {Topic}: {Error}; going on", Topic, e.Message);
            }
        }
    }

    // librdkafka's own lines (otherwise written to stderr): a broker going away is worth a warning, chatter is not.
    private void Publish(byte[]? value) =>
        _producer.Produce(new TopicPartition(Topic, TopicPartitionId),
            new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(Self.ToString()), Value = value!, Timestamp = new Timestamp(_time.GetUtcNow()) },
            report =>
            {
                if (report.Error.IsError) _logger.LogWarning("Could not publish this instance to {Topic}: {Error}", Topic, report.Error.Reason);
            });

    private void Apply(ConsumeResult<byte[], byte[]> record)
    {
        if (record.Message.Key is not { } key) throw new FormatException($"an entry without a key at offset {record.Offset} of {Topic}");
        var url = Encoding.UTF8.GetString(key);
        if (url == Self.ToString()) return;
        if (record.Message.Value is null)
        {
            lock (_lock) _others.Remove(url);
            return;
        }
        var entry = InstanceEntry.Decode(record.Message.Value, DateTimeOffset.FromUnixTimeMilliseconds(record.Message.Timestamp.UnixTimestampMs));
        lock (_lock) _others[url] = entry;
    }

    /// <summary>Stops reading and publishes a tombstone, so the others forget this instance at once.</summary>
    public void Dispose()
    {
        if (_stop) return;
        _stop = true;
        if (_thread.IsAlive) _thread.Join();
        if (_started)
        {
            try
            {
                Publish(null);
                _producer.Flush(TimeSpan.FromSeconds(5));
            }
            catch (KafkaException e)
            {
                _logger.LogWarning("Could not withdraw this instance from {Topic}: {Error}; its entry expires", Topic, e.Error.Reason);
            }
        }
        _admin.Dispose();
        _producer.Dispose();
        _consumer.Dispose();
    }
}
