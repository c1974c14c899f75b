using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Runtime;

namespace Otto.Streams.Query;

/// <summary>One instance as last published to the instances topic.</summary>
internal sealed record InstanceEntry(string ProcessId, HostInfo Host, IReadOnlyList<TopicPartition> Partitions, DateTimeOffset PublishedAt, TimeSpan ExpiresAfter)
{
    public bool IsLive(DateTimeOffset now) => now - PublishedAt <= ExpiresAfter;
}

/// <summary>
/// Instance discovery for interactive queries. Kafka Streams puts each member's application server into the
/// consumer group protocol's user data, so every member learns all hosts at each rebalance; Confluent.Kafka (1.9.3
/// as 2.16) cannot set that user data, and librdkafka 2.0.2's mock cluster answered ListGroups and DescribeGroups
/// with "Required feature not supported by broker" (checked then), so the group's own view is out of reach too. So each instance
/// publishes its application server and its assigned partitions to the topic <c>{applicationId}-instances</c>
/// (key: its process id; partition 0), right after each change of its assignment and every heartbeat interval,
/// and a tombstone when it closes; every instance reads that partition from its start and keeps the latest entry
/// per process. An entry not refreshed for three of its writer's heartbeats is taken for a dead instance (a crash
/// publishes no tombstone).
/// <para>Limits: the directory is eventually consistent. During a rebalance, and for about one produce and fetch
/// round trip after it, entries may still show the old owners (when two claim one partition the newer wins; the
/// instance's own assignment always wins locally); a crashed instance stays listed until its entry expires. The
/// entry's age is measured with the writer's record timestamp, so clocks must agree well within the expiry.</para>
/// </summary>
internal sealed class InstanceDirectory : IDisposable
{
    private const int Partition = 0;
    private readonly StreamConfig _config;
    private readonly string _processId;
    private readonly HostInfo _host;
    private readonly Func<IReadOnlyList<TopicPartition>> _assignment;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IProducer<byte[], byte[]> _producer;
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly Dictionary<string, InstanceEntry> _others = [];
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private volatile bool _stop;
    private volatile bool _publishRequested = true;

    public InstanceDirectory(StreamConfig config, IKafkaSupplier supplier, string processId, Func<IReadOnlyList<TopicPartition>> assignment,
        TimeProvider time, ILogger logger)
    {
        _config = config;
        _processId = processId;
        _host = HostInfo.Parse(config.ApplicationServer!);
        _assignment = assignment;
        _time = time;
        _logger = logger;
        Topic = TopicFor(config.ApplicationId);
        var clientId = $"{config.ApplicationId}-{processId}-instances";
        _producer = supplier.GetProducer(KafkaClientConfigs.Producer(config, clientId));
        _consumer = supplier.GetRestoreConsumer(KafkaClientConfigs.RestoreConsumer(config, clientId));
        _thread = new Thread(Run) { Name = clientId, IsBackground = true };
    }

    /// <summary>The instances topic of an application.</summary>
    public static string TopicFor(string applicationId) => $"{applicationId}-instances";

    /// <summary>Creates the instances topic when missing: one partition, compacted (only the latest entry per
    /// instance matters) and deleted after a day (entries of instances gone without a tombstone).</summary>
    public static void EnsureTopic(string applicationId, IInternalTopicManager topics)
    {
        var topic = TopicFor(applicationId);
        if (topics.GetPartitionCounts([topic]).ContainsKey(topic)) return;
        topics.CreateTopics(new Dictionary<string, int> { [topic] = 1 },
            new Dictionary<string, string> { ["cleanup.policy"] = "compact,delete", ["retention.ms"] = "86400000" });
    }

    public string Topic { get; }

    public void Start()
    {
        _consumer.Assign(new TopicPartitionOffset(Topic, Partition, Offset.Beginning));
        _thread.Start();
    }

    /// <summary>The assignment changed: publish it at once (the loop picks it up within one poll).</summary>
    public void AssignmentChanged() => _publishRequested = true;

    /// <summary>The other instances whose entries have not expired.</summary>
    public IReadOnlyList<InstanceEntry> LiveOthers()
    {
        var now = _time.GetUtcNow();
        lock (_lock) return _others.Values.Where(e => e.IsLive(now)).ToList();
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
                    Publish(Encode(_assignment()));
                    nextHeartbeat = now + _config.InstanceHeartbeatInterval;
                }
                // The poll timeout bounds how late an assignment change is published.
                if (_consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } record) Apply(record);
            }
            catch (Exception e)
            {
                // Discovery only serves queries: a bad entry or a client error must never stop this instance.
                _logger.LogWarning(e, "Instance discovery on {Topic}: {Error}; going on", Topic, e.Message);
            }
        }
    }

    private void Publish(byte[]? value) =>
        _producer.Produce(new TopicPartition(Topic, Partition),
            new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(_processId), Value = value!, Timestamp = new Timestamp(_time.GetUtcNow()) },
            report =>
            {
                if (report.Error.IsError) _logger.LogWarning("Could not publish this instance to {Topic}: {Error}", Topic, report.Error.Reason);
            });

    private byte[] Encode(IReadOnlyList<TopicPartition> partitions) => JsonSerializer.SerializeToUtf8Bytes(new Published(
        _host.ToString(), (long)_config.InstanceHeartbeatInterval.TotalMilliseconds * 3,
        partitions.Select(p => new PublishedPartition(p.Topic, p.Partition.Value)).ToList()), PublishedJson);

    private void Apply(ConsumeResult<byte[], byte[]> record)
    {
        var processId = record.Message.Key is { } key ? Encoding.UTF8.GetString(key) : null;
        if (processId is null || processId == _processId) return;
        if (record.Message.Value is null)
        {
            lock (_lock) _others.Remove(processId);
            return;
        }
        var published = JsonSerializer.Deserialize<Published>(record.Message.Value, PublishedJson)
            ?? throw new JsonException($"empty entry of {processId}");
        var entry = new InstanceEntry(processId, HostInfo.Parse(published.Server),
            published.Partitions.Select(p => new TopicPartition(p.Topic, p.Partition)).ToList(),
            DateTimeOffset.FromUnixTimeMilliseconds(record.Message.Timestamp.UnixTimestampMs), TimeSpan.FromMilliseconds(published.ExpiresAfterMs));
        lock (_lock) _others[processId] = entry;
    }

    /// <summary>Stops reading and publishes a tombstone, so the others forget this instance at once.</summary>
    public void Dispose()
    {
        if (_stop) return;
        _stop = true;
        if (_thread.IsAlive) _thread.Join(TimeSpan.FromSeconds(5));
        try
        {
            Publish(null);
            _producer.Flush(TimeSpan.FromSeconds(5));
        }
        catch (KafkaException e)
        {
            _logger.LogWarning("Could not withdraw this instance from {Topic}: {Error}; its entry expires", Topic, e.Error.Reason);
        }
        _producer.Dispose();
        _consumer.Dispose();
    }

    private static readonly JsonSerializerOptions PublishedJson = new(JsonSerializerDefaults.Web);

    // The published value, JSON: {"server":"host:port","expiresAfterMs":30000,"partitions":[{"topic":"t","partition":0}]}.
    private sealed record Published(string Server, long ExpiresAfterMs, List<PublishedPartition> Partitions);

    private sealed record PublishedPartition(string Topic, int Partition);
}
