using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Errors;

namespace Otto.Streams.Runtime;

/// <summary>
/// A stream thread: one consumer in the application's group, one producer, and the tasks of the partitions
/// it owns. Loop: open new tasks' stores and restore a bounded batch of their changelogs (their partitions
/// paused meanwhile), poll a batch, process each record in its task, run due wall-clock punctuations, commit
/// on the commit interval (flush stores and output first: at-least-once, then checkpoint the stores).
/// </summary>
internal sealed class StreamThread : IRebalanceListener
{
    private readonly Topology _topology;
    private readonly StreamConfig _config;
    private readonly IKafkaSupplier _supplier;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TaskCreator _taskCreator;
    private readonly Dictionary<TaskId, StreamTask> _tasks = [];
    private readonly Dictionary<TopicPartition, StreamTask> _taskByPartition = [];
    private readonly Dictionary<TaskId, StreamTask> _suspended = [];
    private readonly Thread _thread;
    private volatile bool _stopRequested;
    private IConsumer<byte[], byte[]>? _consumer;
    private IProducer<byte[], byte[]>? _producer;
    private IConsumer<byte[], byte[]>? _restoreConsumer;
    private StoreChangelogReader? _changelogReader;
    private readonly HashSet<TaskId> _paused = [];
    private readonly HashSet<TaskId> _waitingForLock = [];
    private RecordCollector? _collector;
    private long _lastCommitMs;

    public StreamThread(string name, Topology topology, StreamConfig config, IKafkaSupplier supplier, TimeProvider time, ILoggerFactory loggers,
        StateDirectory stateDirectory, Lazy<State.RocksDb.RocksDbMemory> memory, GlobalStateStores? globalStores = null)
    {
        Name = name;
        _topology = topology;
        _config = config;
        _supplier = supplier;
        _time = time;
        _logger = loggers.CreateLogger<StreamThread>();
        _taskCreator = new TaskCreator(topology, config, time, loggers, stateDirectory, memory, globalStores);
        State = ThreadStates.Create(name);
        _thread = new Thread(Run) { Name = name, IsBackground = true };
    }

    public string Name { get; }
    public StateMachine<StreamThreadState> State { get; }

    /// <summary>The exception that killed the thread, if any.</summary>
    public Exception? FatalError { get; private set; }

    public void Start()
    {
        State.TransitTo(StreamThreadState.Starting);
        _thread.Start();
    }

    /// <summary>Asks the thread to finish the record in hand, commit and close.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        State.TryTransitTo(StreamThreadState.PendingShutdown);
    }

    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    private void Run()
    {
        try
        {
            CreateClients();
            _consumer!.Subscribe(_topology.SourceTopicsFor(_config.ApplicationId));
            _lastCommitMs = NowMs;
            while (!_stopRequested) RunOnce();
            CommitAll();
        }
        catch (Exception e)
        {
            FatalError = e;
            _logger.LogError(e, "Stream thread {Thread} failed; it stops without committing what it had not committed", Name);
        }
        finally
        {
            Shutdown();
        }
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void CreateClients()
    {
        _producer = _supplier.GetProducer(KafkaClientConfigs.Producer(_config, Name));
        _collector = new RecordCollector(_producer);
        _restoreConsumer = _supplier.GetRestoreConsumer(KafkaClientConfigs.RestoreConsumer(_config, Name));
        _changelogReader = new StoreChangelogReader(_restoreConsumer, _logger, TimeSpan.FromSeconds(30));
        _consumer = _supplier.GetConsumer(KafkaClientConfigs.MainConsumer(_config, Name), this);
    }

    private void RunOnce()
    {
        var restoring = InitializeAndRestore();
        for (var i = 0; i < _config.MaxPollRecords && !_stopRequested; i++)
        {
            // While restoring, the main consumer is only polled to stay in the group.
            var record = _consumer!.Consume(i == 0 && !restoring ? _config.PollTimeout : TimeSpan.Zero);
            if (record is null) break;
            if (record.IsPartitionEOF) continue;
            if (!_taskByPartition.TryGetValue(record.TopicPartition, out var task))
                throw new StreamsException($"{Name} got a record of {record.TopicPartition}, which no task owns.");
            if (task.State != TaskState.Running)
            {
                // Fetched before its partitions were paused: read it again once the task is restored.
                Pause(task);
                _consumer.Seek(record.TopicPartitionOffset);
                continue;
            }
            task.Process(record);
        }
        foreach (var task in RunningTasks) task.MaybePunctuateWallClock();
        if (NowMs - _lastCommitMs >= _config.CommitInterval.TotalMilliseconds) CommitAll();
    }

    private IEnumerable<StreamTask> RunningTasks => _tasks.Values.Where(t => t.State == TaskState.Running);

    /// <summary>The restore phase: opens the stores of new tasks (those whose directory another instance or
    /// thread still holds wait), restores one batch of changelog records, and starts the tasks that are
    /// restored. Returns true while some task is not running yet.</summary>
    private bool InitializeAndRestore()
    {
        var reader = _changelogReader!;
        var started = false;
        foreach (var task in _tasks.Values.Where(t => t.State == TaskState.Created).ToList())
        {
            Pause(task);
            if (!task.TryInitializeStores(reader.Watermarks))
            {
                if (_waitingForLock.Add(task.Id))
                    _logger.LogWarning("{Thread}: the state directory of task {Task} is locked by another instance or thread; waiting for it", Name, task.Id);
                continue;
            }
            _waitingForLock.Remove(task.Id);
            if (reader.Register(task)) started |= Start(task);
        }
        if (reader.HasRestoringTasks || reader.AssignmentChanged)
            foreach (var task in reader.Restore(_config.RestoreBatchRecords, _config.PollTimeout)) started |= Start(task);
        var allRunning = _tasks.Values.All(t => t.State == TaskState.Running);
        if (started && allRunning) State.TryTransitTo(StreamThreadState.Running);
        return !allRunning;
    }

    private bool Start(StreamTask task)
    {
        task.CompleteRestoration();
        if (_paused.Remove(task.Id)) _consumer!.Resume(task.Partitions);
        return true;
    }

    private void Pause(StreamTask task)
    {
        if (_paused.Add(task.Id)) _consumer!.Pause(task.Partitions);
    }

    private void CommitAll() => Commit(RunningTasks.ToList());

    private void Commit(IReadOnlyCollection<StreamTask> tasks)
    {
        _lastCommitMs = NowMs;
        if (tasks.Count == 0 || _consumer is null) return;
        var started = Stopwatch.GetTimestamp();
        var offsets = tasks.SelectMany(t => t.PrepareCommit()).ToList();
        _collector!.Flush();
        foreach (var task in tasks) task.Checkpoint();
        if (offsets.Count == 0) return;
        _consumer.Commit(offsets);
        StreamsMetrics.Commits.Add(1);
        _logger.LogDebug("{Thread} committed {Count} partitions in {Ms:F1} ms", Name, offsets.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public void PartitionsAssigned(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        _logger.LogInformation("{Thread} assigned {Partitions}", Name, string.Join(", ", partitions));
        // New tasks are only created here: their stores open and restore in the thread's loop, so a long
        // restoration never holds up the rebalance or the next poll.
        foreach (var group in _taskCreator.GroupByTask(partitions))
        {
            if (_suspended.Remove(group.Key, out var task)) task.Resume();
            else task = _taskCreator.Create(group.Key, group.ToList(), _collector!);
            _tasks[group.Key] = task;
            foreach (var tp in task.Partitions) _taskByPartition[tp] = task;
        }
        foreach (var stale in _suspended.Values) stale.Close();
        _suspended.Clear();
        if (_tasks.Values.All(t => t.State == TaskState.Running)) State.TryTransitTo(StreamThreadState.Running);
    }

    public void PartitionsRevoked(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        _logger.LogInformation("{Thread} revoked {Partitions}", Name, string.Join(", ", partitions));
        var revoked = TasksOf(partitions);
        var running = revoked.Where(t => t.State == TaskState.Running).ToList();
        // After a fatal error nothing more is committed: output of the failed batch may be lost.
        if (FatalError is null) Commit(running);
        foreach (var task in revoked)
        {
            if (task.State == TaskState.Running)
            {
                task.Suspend();
                _suspended[task.Id] = task;
            }
            else Close(task); // not restored yet: its checkpoint keeps what it restored
            Forget(task);
        }
        State.TryTransitTo(StreamThreadState.PartitionsRevoked);
    }

    public void PartitionsLost(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        _logger.LogWarning("{Thread} lost {Partitions}; their tasks close without committing", Name, string.Join(", ", partitions));
        foreach (var task in TasksOf(partitions))
        {
            TryDo(() => task.Close(clean: false), $"closing task {task.Id}");
            Forget(task);
        }
    }

    private List<StreamTask> TasksOf(IEnumerable<TopicPartition> partitions) =>
        partitions.Select(tp => _taskByPartition.GetValueOrDefault(tp)).OfType<StreamTask>().Distinct().ToList();

    private void Forget(StreamTask task)
    {
        _changelogReader?.Unregister(task);
        _paused.Remove(task.Id);
        _waitingForLock.Remove(task.Id);
        _tasks.Remove(task.Id);
        foreach (var tp in task.Partitions) _taskByPartition.Remove(tp);
    }

    private void Shutdown()
    {
        State.TryTransitTo(StreamThreadState.PendingShutdown);
        // Leaving the group first revokes the partitions, which commits and suspends their tasks.
        TryDo(() => _consumer?.Close(), "closing the consumer");
        foreach (var task in _tasks.Values.Concat(_suspended.Values)) Close(task);
        _tasks.Clear();
        _suspended.Clear();
        TryDo(() => _producer?.Flush(TimeSpan.FromSeconds(10)), "flushing the producer");
        _consumer?.Dispose();
        _restoreConsumer?.Dispose();
        _producer?.Dispose();
        State.TransitTo(StreamThreadState.Dead);
        _logger.LogInformation("{Thread} stopped", Name);
    }

    // After a fatal error the stores may hold changes whose changelog records were never sent: no checkpoint.
    private void Close(StreamTask task) => TryDo(() => task.Close(clean: FatalError is null), $"closing task {task.Id}");

    private void TryDo(Action action, string what)
    {
        try { action(); }
        catch (Exception e) { _logger.LogWarning(e, "{Thread}: error while {What}", Name, what); }
    }
}
