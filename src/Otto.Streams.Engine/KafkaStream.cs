using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.Query;
using Otto.Streams.Runtime;
using Otto.Streams.State.RocksDb;

namespace Otto.Streams;

/// <summary>
/// Runs a topology against a Kafka cluster: validates topics, starts <see cref="StreamConfig.NumStreamThreads"/>
/// stream threads in the application's consumer group, and closes them cleanly. Interactive queries of its stores:
/// KafkaStreamQueries.cs.
/// </summary>
public sealed partial class KafkaStream : IDisposable
{
    private readonly Topology _topology;
    private readonly StreamConfig _config;
    private readonly IKafkaSupplier _supplier;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IInternalTopicManager? _topicManager;
    private readonly StateMachine<KafkaStreamState> _state = KafkaStreamStates.Create();
    private readonly List<StreamThread> _threads = [];
    private readonly StateDirectory _stateDirectory;
    private readonly Lazy<RocksDbMemory> _storeMemory;
    private GlobalStreamThread? _globalThread;
    private readonly StreamsMetadataState _metadata;
    private InstanceDirectory? _directory;

    /// <summary>Creates the stream; nothing connects until <see cref="Start"/>.</summary>
    /// <param name="topology">What to run.</param>
    /// <param name="config">How to run it.</param>
    /// <param name="supplier">Kafka clients (default: the real ones).</param>
    /// <param name="loggers">Logging (default: none).</param>
    /// <param name="time">The clock for wall-clock punctuation and commit intervals (default: the system clock).</param>
    /// <param name="topicManager">Topic lookup and creation (default: the AdminClient).</param>
    public KafkaStream(Topology topology, StreamConfig config, IKafkaSupplier? supplier = null, ILoggerFactory? loggers = null,
        TimeProvider? time = null, IInternalTopicManager? topicManager = null)
    {
        config.Validate();
        _topology = topology;
        _config = config;
        _supplier = supplier ?? new DefaultKafkaSupplier();
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<KafkaStream>();
        _time = time ?? TimeProvider.System;
        _topicManager = topicManager;
        _stateDirectory = new StateDirectory(config.StateDir, config.ApplicationId);
        // One block cache and memtable budget for all RocksDB stores of this instance, made when the first opens.
        _storeMemory = new Lazy<RocksDbMemory>(() => new RocksDbMemory(config.RocksDbBlockCacheBytes, config.RocksDbWriteBufferBytes));
        _metadata = new StreamsMetadataState(topology.SubtopologiesFor(config.ApplicationId),
            config.ApplicationServer is { } server ? HostInfo.Parse(server) : HostInfo.Unavailable, ProcessId);
        _state.Changed += (from, to) =>
        {
            _logger.LogInformation("Stream state {From} -> {To}", from, to);
            StateChanged?.Invoke(from, to);
        };
    }

    /// <summary>The current state.</summary>
    public KafkaStreamState State => _state.Current;

    /// <summary>Raised on every state change with (old, new).</summary>
    public event Action<KafkaStreamState, KafkaStreamState>? StateChanged;

    /// <summary>Raised on every state change of a stream thread with (thread name, old, new).</summary>
    public event Action<string, StreamThreadState, StreamThreadState>? ThreadStateChanged;

    /// <summary>Raised on every state change of a task with (task, old, new), on the thread that owns the task.</summary>
    public event Action<TaskId, TaskState, TaskState>? TaskStateChanged;

    /// <summary>This instance's process id: with the application id and thread index it makes each thread's
    /// transactional.id under exactly_once_v2, so instances never fence each other by mistake.</summary>
    public string ProcessId { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The first fatal thread error, if any.</summary>
    public Exception? FatalError => _threads.Select(t => t.FatalError).Append(_globalThread?.FatalError).FirstOrDefault(e => e is not null);

    /// <summary>Checks topics (creating missing changelogs) and starts the threads.</summary>
    public void Start()
    {
        var topics = PrepareTopics();
        _metadata.SetPartitions(topics.SubtopologyPartitions);
        StartGlobalThread(topics.GlobalPartitions);
        for (var i = 1; i <= _config.NumStreamThreads; i++)
        {
            var thread = new StreamThread($"{_config.ApplicationId}-StreamThread-{i}", $"{_config.ApplicationId}-{ProcessId}-{i}",
                _topology, _config, _supplier, _time, _loggers, _stateDirectory, _storeMemory, _globalThread?.Stores);
            var name = thread.Name;
            thread.State.Changed += (from, to) =>
            {
                ThreadStateChanged?.Invoke(name, from, to);
                OnThreadStateChanged();
            };
            thread.TaskStateChanged += (id, from, to) => TaskStateChanged?.Invoke(id, from, to);
            thread.AssignmentChanged += () => _directory?.AssignmentChanged();
            _threads.Add(thread);
        }
        // After the threads exist (the directory reads their tasks), before they get partitions.
        if (_config.ApplicationServer is not null)
        {
            _directory = new InstanceDirectory(_config, _supplier, ProcessId, LocalAssignment, _time, _loggers.CreateLogger<InstanceDirectory>());
            _directory.Start();
        }
        _state.TransitTo(KafkaStreamState.Rebalancing);
        foreach (var thread in _threads) thread.Start();
    }

    /// <summary>Validates and creates topics (the instances topic too, with an application server).</summary>
    private PreparedTopics PrepareTopics()
    {
        if (_topicManager is not null) return PrepareTopics(_topicManager);
        using var admin = _supplier.GetAdmin(KafkaClientConfigs.Admin(_config));
        return PrepareTopics(new AdminTopicManager(admin, _config.ReplicationFactor, TimeSpan.FromSeconds(30)));
    }

    private PreparedTopics PrepareTopics(IInternalTopicManager topics)
    {
        var prepared = TopicValidator.Prepare(_topology, _config, topics);
        if (_config.ApplicationServer is not null) InstanceDirectory.EnsureTopic(_config.ApplicationId, topics);
        return prepared;
    }

    /// <summary>Loads the global tables completely before any stream thread starts, then keeps them updated.</summary>
    private void StartGlobalThread(IReadOnlyDictionary<string, int> partitionCounts)
    {
        var stores = new GlobalStateStores(_topology, _config, _logger, _config.StateDir, _storeMemory);
        if (stores.IsEmpty) return;
        _globalThread = new GlobalStreamThread(stores, _config, _supplier, _loggers);
        _globalThread.Bootstrap(partitionCounts, TimeSpan.FromSeconds(30));
        _globalThread.Start();
    }

    private void OnThreadStateChanged()
    {
        var states = _threads.Select(t => t.State.Current).ToList();
        if (_state.Current is KafkaStreamState.PendingShutdown or KafkaStreamState.NotRunning) return;
        if (_threads.Any(t => t.FatalError is not null)) _state.TryTransitTo(KafkaStreamState.Error);
        else if (states.All(s => s == StreamThreadState.Running)) _state.TryTransitTo(KafkaStreamState.Running);
        else if (states.Any(s => s is StreamThreadState.PartitionsRevoked or StreamThreadState.Starting)) _state.TryTransitTo(KafkaStreamState.Rebalancing);
    }

    /// <summary>Stops the threads: each finishes its record in hand, commits, flushes and closes. Returns false
    /// when some thread did not stop within <paramref name="timeout"/> (default: the configured shutdown timeout).</summary>
    public bool Close(TimeSpan? timeout = null)
    {
        if (_state.Current == KafkaStreamState.NotRunning) return true;
        _state.TryTransitTo(KafkaStreamState.PendingShutdown);
        // Withdrawn first, so the other instances stop sending queries here.
        _directory?.Dispose();
        foreach (var thread in _threads) thread.RequestStop();
        var deadline = DateTime.UtcNow + (timeout ?? _config.ShutdownTimeout);
        var allStopped = _threads.All(t => t.Join(Max(deadline - DateTime.UtcNow, TimeSpan.Zero)));
        _globalThread?.Dispose();
        _state.TryTransitTo(KafkaStreamState.NotRunning);
        // Stores still open (a thread that did not stop) keep the cache alive: the handle only drops a reference.
        if (_storeMemory.IsValueCreated) _storeMemory.Value.Dispose();
        return allStopped;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Closes with the configured timeout.</summary>
    public void Dispose() => Close();
}
