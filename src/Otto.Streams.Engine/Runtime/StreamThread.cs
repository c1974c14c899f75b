using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Errors;

namespace Otto.Streams.Runtime;

/// <summary>
/// A stream thread: one consumer in the application's group, one producer, and the tasks of the partitions
/// it owns. Loop: open new tasks' stores and restore a bounded batch of their changelogs (their partitions
/// paused meanwhile), poll a batch, process each record in its task, run due wall-clock punctuations, commit
/// on the commit interval (flush stores and output first, then checkpoint the stores). At-least-once commits
/// offsets with the consumer; exactly_once_v2 sends them in the producer's transaction and commits that. When
/// the thread's tasks may have moved (fenced producer, lost partitions) they are closed dirty and the thread
/// rejoins the group.
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
    // _tasks as other threads may read it (interactive queries, instance discovery): replaced, never changed.
    private volatile StreamTask[] _published = [];
    // At-least-once offsets not yet committed (a commit that failed on a retriable error is tried again next time).
    private readonly Dictionary<TopicPartition, TopicPartitionOffset> _offsetsToCommit = [];
    private readonly Thread _thread;
    private volatile bool _stopRequested;
    private IConsumer<byte[], byte[]>? _consumer;
    private StreamsProducer? _producer;
    private IConsumer<byte[], byte[]>? _restoreConsumer;
    private StoreChangelogReader? _changelogReader;
    private readonly HashSet<TaskId> _paused = [];
    private readonly HashSet<TaskId> _waitingForLock = [];
    // Partitions paused because their task buffered BufferedRecordsPerPartition records of them.
    private readonly HashSet<TopicPartition> _full = [];
    private RecordCollector? _collector;
    private long _lastCommitMs;
    private readonly string _transactionalId;
    private readonly KeyValuePair<string, object?> _threadTag;

    // transactionalId: of the producer under exactly_once_v2, {applicationId}-{processId}-{thread index}.
    public StreamThread(string name, string transactionalId, Topology topology, StreamConfig config, IKafkaSupplier supplier, TimeProvider time,
        ILoggerFactory loggers, StateDirectory stateDirectory, Lazy<State.RocksDb.RocksDbMemory> memory, GlobalStateStores? globalStores = null)
    {
        Name = name;
        _transactionalId = transactionalId;
        _threadTag = new KeyValuePair<string, object?>("thread", name);
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

    /// <summary>Raised on every state change of one of the thread's tasks with (task, old, new).</summary>
    public event Action<TaskId, TaskState, TaskState>? TaskStateChanged;

    /// <summary>Raised (on the thread, in the rebalance callback) when the thread's tasks changed.</summary>
    public event Action? AssignmentChanged;

    /// <summary>The thread's active tasks, in any state; safe to read from any thread.</summary>
    public IReadOnlyList<StreamTask> Tasks => _published;

    private void PublishTasks()
    {
        var tasks = _tasks.Values.ToArray();
        if (tasks.Length == _published.Length && tasks.All(_published.Contains)) return;
        _published = tasks;
        AssignmentChanged?.Invoke();
    }

    private bool ExactlyOnce => _config.Guarantee == ProcessingGuarantee.ExactlyOnceV2;

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
            // A StreamsException says what went wrong in its message (a registry failure, a fatal handler decision);
            // the stack trace of anything else is logged where the stream's owner reports FatalError.
            _logger.LogError(e is StreamsException ? null : e, "Stream thread {Thread} failed; it stops without committing what it had not committed: {Error}", Name, e.Message);
            TryDo(Abort, "aborting the transaction");
        }
        finally
        {
            Shutdown();
        }
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void CreateClients()
    {
        _producer = new StreamsProducer(
            () => _supplier.GetProducer(KafkaClientConfigs.Producer(_config, Name, ExactlyOnce ? _transactionalId : null)),
            ExactlyOnce, TimeSpan.FromSeconds(30));
        _collector = new RecordCollector(_producer, _config, _logger);
        _restoreConsumer = _supplier.GetRestoreConsumer(KafkaClientConfigs.RestoreConsumer(_config, Name));
        _changelogReader = new StoreChangelogReader(_restoreConsumer, _logger, TimeSpan.FromSeconds(30));
        _consumer = _supplier.GetConsumer(KafkaClientConfigs.MainConsumer(_config, Name), this);
    }

    private void RunOnce()
    {
        try
        {
            ProcessBatch();
        }
        catch (TaskMigratedException e)
        {
            HandleTaskMigrated(e);
        }
    }

    private void ProcessBatch()
    {
        var restoring = InitializeAndRestore();
        for (var i = 0; i < _config.MaxPollRecords && !_stopRequested; i++)
        {
            // While restoring, the main consumer is only polled to stay in the group.
            var record = Poll(i == 0 && !restoring ? _config.PollTimeout : TimeSpan.Zero);
            if (record is null) break;
            if (!_taskByPartition.TryGetValue(record.TopicPartition, out var task))
            {
                if (record.IsPartitionEOF) continue; // the end of a partition given up meanwhile
                throw new StreamsException($"{Name} got a record of {record.TopicPartition}, which no task owns.");
            }
            if (task.State != TaskState.Running)
            {
                if (record.IsPartitionEOF) continue;
                // Fetched before its partitions were paused: read it again once the task is restored.
                Pause(task);
                _consumer!.Seek(record.TopicPartitionOffset);
                continue;
            }
            if (record.IsPartitionEOF) task.MarkAtEnd(record.TopicPartition);
            else if (task.Buffer(record) >= _config.BufferedRecordsPerPartition && _full.Add(record.TopicPartition))
                _consumer!.Pause([record.TopicPartition]);
        }
        var now = NowMs;
        foreach (var task in RunningTasks) task.ProcessBuffered(now);
        ResumeDrainedPartitions();
        foreach (var task in RunningTasks) task.MaybePunctuateWallClock();
        if (NowMs - _lastCommitMs >= _config.CommitInterval.TotalMilliseconds) CommitAll();
    }

    // Partitions paused because their task's buffer was full fetch again once it is half empty.
    private void ResumeDrainedPartitions()
    {
        if (_full.Count == 0) return;
        foreach (var tp in _full.ToList())
        {
            if (!_taskByPartition.TryGetValue(tp, out var task) || task.State != TaskState.Running || _paused.Contains(task.Id))
            {
                _full.Remove(tp);
                continue;
            }
            if (task.BufferedCount(tp) > _config.BufferedRecordsPerPartition / 2) continue;
            _consumer!.Resume([tp]);
            _full.Remove(tp);
        }
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

    /// <summary>Polls the consumer. Errors librdkafka recovers from itself (a fetch answered by a broker that is no
    /// longer the leader, a timeout) are reported by Consume but are no reason to stop: log them and poll on.</summary>
    private ConsumeResult<byte[], byte[]>? Poll(TimeSpan timeout)
    {
        try
        {
            return _consumer!.Consume(timeout);
        }
        catch (KafkaException e) when (!e.Error.IsFatal && e.InnerException is null)
        {
            _logger.LogWarning("{Thread}: the consumer reported {Error}; it recovers by itself", Name, e.Error);
            return null;
        }
    }

    /// <summary>Flushes the tasks' stores and the output, then commits their offsets: with the consumer, or
    /// under exactly_once_v2 in the thread's one transaction (which covers every task, so all of them commit).</summary>
    private void Commit(IReadOnlyCollection<StreamTask> tasks)
    {
        _lastCommitMs = NowMs;
        if (_consumer is null || _producer is null) return;
        if (ExactlyOnce) tasks = RunningTasks.ToList();
        if (tasks.Count == 0 && !_producer.InTransaction) return;
        var started = Stopwatch.GetTimestamp();
        var offsets = tasks.SelectMany(t => t.PrepareCommit()).ToList();
        _collector!.Flush();
        foreach (var task in tasks) task.Checkpoint();
        if (ExactlyOnce) _producer.CommitTransaction(offsets, _consumer.ConsumerGroupMetadata);
        else if (!CommitOffsets(offsets)) return;
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        StreamsMetrics.Commits.Add(1, _threadTag);
        StreamsMetrics.CommitLatency.Record(ms, _threadTag);
        ConsumerLag.Update(Name, _consumer);
        _logger.LogDebug("{Thread} committed {Count} partitions in {Ms:F1} ms", Name, offsets.Count, ms);
    }

    /// <summary>Commits at-least-once offsets with the consumer; false when there were none or the commit failed
    /// on an error worth retrying (coordinator moved or busy, timeout), in which case they go with the next commit.</summary>
    private bool CommitOffsets(IEnumerable<TopicPartitionOffset> offsets)
    {
        foreach (var o in offsets) _offsetsToCommit[o.TopicPartition] = o;
        var owned = _offsetsToCommit.Values.Where(o => _taskByPartition.ContainsKey(o.TopicPartition)).ToList();
        if (owned.Count == 0) return false;
        try
        {
            _consumer!.Commit(owned);
            _offsetsToCommit.Clear();
            return true;
        }
        catch (KafkaException e) when (!e.Error.IsFatal)
        {
            _logger.LogWarning("{Thread}: committing offsets failed ({Error}); they go with the next commit", Name, e.Error);
            StreamsMetrics.CommitFailures.Add(1, _threadTag);
            return false;
        }
    }

    /// <summary>Throws away the uncommitted output of the open transaction (exactly_once_v2).</summary>
    private void Abort()
    {
        if (_producer is not { InTransaction: true }) return;
        _producer.AbortTransaction();
        _collector?.Reset();
        StreamsMetrics.Aborts.Add(1, _threadTag);
        _logger.LogWarning("{Thread} aborted its transaction", Name);
    }

    /// <summary>Another instance may own our tasks now: drop their uncommitted state and output, get a fresh
    /// producer, and rejoin the group, which assigns partitions anew from the committed offsets.</summary>
    private void HandleTaskMigrated(TaskMigratedException e)
    {
        _logger.LogWarning("{Thread}: {Reason} Closing its tasks dirty and rejoining the group.", Name, e.Message);
        TryDo(Abort, "aborting the transaction");
        CloseAllDirty();
        _collector!.Reset();
        _producer!.Reset();
        State.TryTransitTo(StreamThreadState.PartitionsRevoked);
        _consumer!.Unsubscribe();
        _consumer.Subscribe(_topology.SourceTopicsFor(_config.ApplicationId));
    }

    private void CloseAllDirty()
    {
        foreach (var task in _tasks.Values.Concat(_suspended.Values).ToList())
        {
            TryDo(() => task.Close(clean: false), $"closing task {task.Id}");
            Forget(task);
        }
        _suspended.Clear();
        _offsetsToCommit.Clear();
        PublishTasks();
    }

    public void PartitionsAssigned(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        _logger.LogInformation("{Thread} assigned {Partitions}", Name, string.Join(", ", partitions));
        // New tasks are only created here: their stores open and restore in the thread's loop, so a long
        // restoration never holds up the rebalance or the next poll.
        foreach (var group in _taskCreator.GroupByTask(partitions))
        {
            if (_suspended.Remove(group.Key, out var task))
            {
                task.Resume();
            }
            else
            {
                task = _taskCreator.Create(group.Key, group.ToList(), _collector!);
                var id = task.Id;
                task.StateChanged += (from, to) => TaskStateChanged?.Invoke(id, from, to);
            }
            _tasks[group.Key] = task;
            foreach (var tp in task.Partitions) _taskByPartition[tp] = task;
        }
        foreach (var stale in _suspended.Values) stale.Close();  // committed when suspended: a clean close
        _suspended.Clear();
        PublishTasks();
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
        PublishTasks();
        State.TryTransitTo(StreamThreadState.PartitionsRevoked);
    }

    public void PartitionsLost(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        _logger.LogWarning("{Thread} lost {Partitions}; their tasks close without committing", Name, string.Join(", ", partitions));
        if (ExactlyOnce)
        {
            // The open transaction holds every task's output: abort it, and with it every task's state.
            TryDo(Abort, "aborting the transaction");
            CloseAllDirty();
            return;
        }
        foreach (var task in TasksOf(partitions))
        {
            TryDo(() => task.Close(clean: false), $"closing task {task.Id}");
            Forget(task);
        }
        PublishTasks();
    }

    private List<StreamTask> TasksOf(IEnumerable<TopicPartition> partitions) =>
        partitions.Select(tp => _taskByPartition.GetValueOrDefault(tp)).OfType<StreamTask>().Distinct().ToList();

    private void Forget(StreamTask task)
    {
        _changelogReader?.Unregister(task);
        _paused.Remove(task.Id);
        _waitingForLock.Remove(task.Id);
        _tasks.Remove(task.Id);
        ConsumerLag.Forget(Name, task.Partitions);
        foreach (var tp in task.Partitions)
        {
            _taskByPartition.Remove(tp);
            _offsetsToCommit.Remove(tp);
            _full.Remove(tp);
        }
    }

    private void Shutdown()
    {
        State.TryTransitTo(StreamThreadState.PendingShutdown);
        // Leaving the group first revokes the partitions, which commits and suspends their tasks.
        TryDo(() => _consumer?.Close(), "closing the consumer");
        foreach (var task in _tasks.Values.Concat(_suspended.Values)) Close(task);
        _tasks.Clear();
        _suspended.Clear();
        PublishTasks();
        ConsumerLag.Forget(Name, _taskByPartition.Keys);
        _taskByPartition.Clear();
        TryDo(() => _producer?.Producer.Flush(TimeSpan.FromSeconds(10)), "flushing the producer");
        _consumer?.Dispose();
        _restoreConsumer?.Dispose();
        _producer?.Producer.Dispose();
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
