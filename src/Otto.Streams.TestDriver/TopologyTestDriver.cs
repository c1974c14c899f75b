using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.Runtime;
using Otto.Streams.SerDes;
using Otto.Streams.State;
using Otto.Streams.State.RocksDb;
using Otto.Streams.State.Window;

namespace Otto.Streams.TestDriver;

/// <summary>
/// Runs a topology without a broker, on the same task code as <see cref="KafkaStream"/>: every topic has one
/// partition, so each sub-topology is one task. Piped records are processed at once; records the topology
/// writes to topics it also reads (repartition-style hops) are processed before the pipe call returns.
/// Wall-clock time moves only through <see cref="AdvanceWallClockTime"/>, which is also when stores are flushed
/// (a stream thread's commit interval); piped records are readable in stores and output topics at once. Stores are what the topology asks
/// for (RocksDB by default), kept in a fresh temporary state directory that is deleted on <see cref="Dispose"/>,
/// so drivers running in parallel never share state. Records piped to a global table's topic update its store at once.
/// </summary>
public sealed class TopologyTestDriver : IDisposable
{
    private readonly Topology _topology;
    private readonly CapturingProducer _producer = new();
    private readonly Dictionary<string, StreamTask> _taskByTopic = [];
    private readonly List<StreamTask> _tasks = [];
    private (string Topic, List<Message<byte[], byte[]>> Log)[] _readBack = [];
    private int[] _consumedFromLog = [];
    private readonly Dictionary<string, ConsumeResult<byte[], byte[]>> _inputs = [];
    private readonly GlobalStateStores _globalStores;
    private readonly RecordCollector _collector;
    private readonly DirectoryInfo _stateDir = Directory.CreateTempSubdirectory("otto-test-driver-");
    private readonly Lazy<RocksDbMemory> _storeMemory;

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
        _storeMemory = new(() => new RocksDbMemory(config.RocksDbBlockCacheBytes, config.RocksDbWriteBufferBytes));
        loggers ??= NullLoggerFactory.Instance;
        _globalStores = new GlobalStateStores(topology, config, loggers.CreateLogger<TopologyTestDriver>(), _stateDir.FullName, _storeMemory);
        var creator = new TaskCreator(topology, config, Clock, loggers,
            new StateDirectory(_stateDir.FullName, config.ApplicationId), _storeMemory, _globalStores);
        var collector = _collector = new RecordCollector(_producer, config);
        try
        {
            foreach (var sub in topology.SubtopologiesFor(config.ApplicationId).Where(s => s.SourceTopics.Count > 0))
            {
                var task = creator.Create(new TaskId(sub.Id, 0), sub.SourceTopics.Select(t => new TopicPartition(t, 0)).ToList(), collector);
                _tasks.Add(task);
                if (!task.TryInitializeStores(Watermarks))
                    throw new InvalidOperationException($"The driver's own state directory {_stateDir.FullName} is locked.");
                Restore(task);
                task.CompleteRestoration();
                foreach (var topic in sub.SourceTopics) _taskByTopic[topic] = task;
            }
            _readBack = _taskByTopic.Keys.Concat(_globalStores.Topics).Select(t => (t, _producer.Log(t))).ToArray();
            _consumedFromLog = new int[_readBack.Length];
        }
        catch
        {
            Dispose();
            throw;
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
    public IKeyValueStore<K, V> GetKeyValueStore<K, V>(string name) => GetStore<IKeyValueStore<K, V>>(name);

    /// <summary>A window store of the topology (windowed aggregates), e.g. to fetch a key's windows.</summary>
    public IWindowStore<K, V> GetWindowStore<K, V>(string name) => GetStore<IWindowStore<K, V>>(name);

    private TStore GetStore<TStore>(string name) where TStore : class
    {
        if (_globalStores.GetUnlocked(name) is { } global)
            return global as TStore ?? throw new InvalidCastException($"Store '{name}' is a {global.GetType().Name}, not a {typeof(TStore).Name}.");
        foreach (var task in _tasks)
            if (task.StateManager.Stores.FirstOrDefault(s => s.Name == name) is { } store)
                return store as TStore ?? throw new InvalidCastException($"Store '{name}' is a {store.GetType().Name}, not a {typeof(TStore).Name}.");
        throw new ArgumentException($"The topology has no store named '{name}'.", nameof(name));
    }

    /// <summary>Moves the wall clock forward and runs the wall-clock punctuations that became due.</summary>
    public void AdvanceWallClockTime(TimeSpan by)
    {
        Clock.Advance(by);
        foreach (var task in _tasks) task.MaybePunctuateWallClock();
        ProcessInternalTopics();
        Commit();
    }

    /// <summary>Processes one record given as bytes, as a consumer would hand it over.</summary>
    internal void Pipe(string topic, byte[]? key, byte[]? value, long timestamp, Headers? headers)
    {
        ProcessRecord(topic, key, value, timestamp, headers);
        ProcessInternalTopics();
        // Record caches are written down after every record, so changelog output stays one record per write.
        foreach (var task in _tasks) task.StateManager.FlushCaches();
    }

    private void ProcessRecord(string topic, byte[]? key, byte[]? value, long timestamp, Headers? headers)
    {
        var global = _globalStores.Topics.Contains(topic);
        var task = global ? null : _taskByTopic.GetValueOrDefault(topic) ?? throw new ArgumentException($"Topic {topic} is not read by the topology.", nameof(topic));
        if (!_inputs.TryGetValue(topic, out var record))
        {
            record = new ConsumeResult<byte[], byte[]> { Topic = topic, Partition = new Partition(0), Offset = new Offset(-1), Message = new Message<byte[], byte[]>() };
            _inputs[topic] = record;
        }
        // One record object per topic, refilled for each record: tasks handle a record synchronously and keep
        // nothing of it (RecordMetadata is copied out), so the driver's own overhead stays off the figures.
        record.Offset = new Offset(record.Offset.Value + 1);
        var message = record.Message;
        (message.Key, message.Value, message.Timestamp, message.Headers) = (key!, value!, new Timestamp(timestamp, TimestampType.CreateTime), headers);
        if (global) _globalStores.Apply(record, _collector);
        else task!.Process(record);
    }

    /// <summary>Feeds records written to topics the topology also reads (repartition topics, global tables'
    /// topics...) back into it, until none are left.</summary>
    private void ProcessInternalTopics()
    {
        bool progressed;
        do
        {
            progressed = false;
            for (var i = 0; i < _readBack.Length; i++)
            {
                var (topic, log) = _readBack[i];
                var consumed = _consumedFromLog[i];
                if (consumed >= log.Count) continue;
                _consumedFromLog[i] = consumed + 1;
                var message = log[consumed];
                ProcessRecord(topic, message.Key, message.Value, message.Timestamp.UnixTimestampMs, message.Headers);
                progressed = true;
            }
        } while (progressed);
    }

    /// <summary>Flushes the stores and takes the offsets to commit, as a stream thread does on its commit interval.</summary>
    private void Commit()
    {
        foreach (var task in _tasks) task.PrepareCommit();
    }

    private WatermarkOffsets Watermarks(TopicPartition partition) => new(0, _producer.Log(partition.Topic).Count);

    /// <summary>Restores from the producer's logs (empty when the driver starts), as a stream thread does.</summary>
    private void Restore(StreamTask task)
    {
        foreach (var changelog in task.StateManager.Changelogs)
        {
            var log = _producer.Log(changelog.Partition.Topic);
            for (var offset = changelog.StartOffset; offset < changelog.EndOffset; offset++)
                changelog.Apply(log[(int)offset].Key, log[(int)offset].Value, offset);
        }
    }

    /// <summary>Closes all tasks and deletes the driver's state directory.</summary>
    public void Dispose()
    {
        foreach (var task in _tasks) task.Close();
        _globalStores?.Close();
        if (_storeMemory.IsValueCreated) _storeMemory.Value.Dispose();
        _stateDir.Delete(recursive: true);
    }
}
