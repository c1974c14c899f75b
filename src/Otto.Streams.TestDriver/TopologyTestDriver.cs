using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.Runtime;
using Otto.Streams.SerDes;
using Otto.Streams.State;

namespace Otto.Streams.TestDriver;

/// <summary>
/// Runs a topology without a broker, on the same task code as <see cref="KafkaStream"/>: every topic has one
/// partition, so each sub-topology is one task. Piped records are processed at once; records the topology
/// writes to topics it also reads (repartition-style hops) are processed before the pipe call returns.
/// Wall-clock time moves only through <see cref="AdvanceWallClockTime"/>.
/// </summary>
public sealed class TopologyTestDriver : IDisposable
{
    private readonly Topology _topology;
    private readonly CapturingProducer _producer = new();
    private readonly Dictionary<string, StreamTask> _taskByTopic = [];
    private readonly List<StreamTask> _tasks = [];
    private readonly Dictionary<string, int> _consumedFromLog = [];
    private readonly Dictionary<string, long> _nextInputOffset = [];

    /// <summary>Creates the driver and initializes every task (restoring nothing: the logs start empty).</summary>
    /// <param name="topology">The topology under test.</param>
    /// <param name="config">Its configuration (serdes defaults, error handling, dead-letter topic...).</param>
    /// <param name="initialWallClock">The starting wall-clock time (default: 2026-01-01T00:00Z, so tests are repeatable).</param>
    /// <param name="loggers">Logging (default: none).</param>
    public TopologyTestDriver(Topology topology, StreamConfig config, DateTimeOffset? initialWallClock = null, ILoggerFactory? loggers = null)
    {
        config.Validate();
        _topology = topology;
        Clock = new ManualTimeProvider(initialWallClock ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var creator = new TaskCreator(topology, config, Clock, loggers ?? NullLoggerFactory.Instance);
        var collector = new RecordCollector(_producer, config);
        var changelogs = new LogChangelogReader(_producer);
        foreach (var sub in topology.Subtopologies.Where(s => s.SourceTopics.Count > 0))
        {
            var task = creator.Create(new TaskId(sub.Id, 0), sub.SourceTopics.Select(t => new TopicPartition(t, 0)).ToList(), collector);
            task.Initialize(changelogs);
            _tasks.Add(task);
            foreach (var topic in sub.SourceTopics) _taskByTopic[topic] = task;
        }
    }

    /// <summary>The driver's wall clock.</summary>
    public ManualTimeProvider Clock { get; }

    /// <summary>An input topic to pipe records into.</summary>
    public TestInputTopic<K, V> CreateInputTopic<K, V>(string topic, ISerDes<K> keySerDes, ISerDes<V> valueSerDes) =>
        new(this, topic, keySerDes, valueSerDes);

    /// <summary>An output topic to read what the topology wrote, from the first record on.</summary>
    public TestOutputTopic<K, V> CreateOutputTopic<K, V>(string topic, ISerDes<K> keySerDes, ISerDes<V> valueSerDes) =>
        new(_producer.Log(topic), topic, keySerDes, valueSerDes);

    /// <summary>A key-value store of the topology (of its only task).</summary>
    public IKeyValueStore<K, V> GetKeyValueStore<K, V>(string name)
    {
        foreach (var task in _tasks)
            if (task.StateManager.Stores.FirstOrDefault(s => s.Name == name) is { } store)
                return store as IKeyValueStore<K, V> ?? throw new InvalidCastException($"Store '{name}' is a {store.GetType().Name}.");
        throw new ArgumentException($"The topology has no store named '{name}'.", nameof(name));
    }

    /// <summary>Moves the wall clock forward and runs the wall-clock punctuations that became due.</summary>
    public void AdvanceWallClockTime(TimeSpan by)
    {
        Clock.Advance(by);
        foreach (var task in _tasks) task.MaybePunctuateWallClock();
        ProcessInternalTopics();
    }

    /// <summary>Processes one record given as bytes, as a consumer would hand it over.</summary>
    internal void Pipe(string topic, byte[]? key, byte[]? value, long timestamp, Headers headers)
    {
        ProcessRecord(topic, key, value, timestamp, headers);
        ProcessInternalTopics();
    }

    private void ProcessRecord(string topic, byte[]? key, byte[]? value, long timestamp, Headers headers)
    {
        var task = _taskByTopic.GetValueOrDefault(topic) ?? throw new ArgumentException($"Topic {topic} is not read by the topology.", nameof(topic));
        var offset = _nextInputOffset.GetValueOrDefault(topic);
        _nextInputOffset[topic] = offset + 1;
        task.Process(new ConsumeResult<byte[], byte[]>
        {
            TopicPartitionOffset = new TopicPartitionOffset(topic, 0, offset),
            Message = new Message<byte[], byte[]> { Key = key!, Value = value!, Timestamp = new Timestamp(timestamp, TimestampType.CreateTime), Headers = headers },
        });
    }

    /// <summary>Feeds records written to topics the topology also reads back into it, until none are left.</summary>
    private void ProcessInternalTopics()
    {
        bool progressed;
        do
        {
            progressed = false;
            foreach (var topic in _taskByTopic.Keys)
            {
                var log = _producer.Log(topic);
                var consumed = _consumedFromLog.GetValueOrDefault(topic);
                if (consumed >= log.Count) continue;
                _consumedFromLog[topic] = consumed + 1;
                var message = log[consumed];
                ProcessRecord(topic, message.Key, message.Value, message.Timestamp.UnixTimestampMs, message.Headers ?? []);
                progressed = true;
            }
        } while (progressed);
        foreach (var task in _tasks) task.PrepareCommit();
    }

    /// <summary>Closes all tasks.</summary>
    public void Dispose()
    {
        foreach (var task in _tasks) task.Close();
    }

    /// <summary>Restores from the producer's logs (empty when the driver starts).</summary>
    private sealed class LogChangelogReader(CapturingProducer producer) : IChangelogReader
    {
        public long Restore(TopicPartition partition, Action<byte[], byte[]?> apply)
        {
            var log = producer.Log(partition.Topic);
            foreach (var m in log) apply(m.Key, m.Value);
            return log.Count;
        }
    }
}
