using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Errors;

namespace Otto.Streams.Runtime;

/// <summary>
/// A stream thread: one consumer in the application's group, one producer, and the tasks of the partitions
/// it owns. Loop: poll a batch, process each record in its task, run due wall-clock punctuations, commit
/// on the commit interval (flush stores and output first: at-least-once).
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
    private RecordCollector? _collector;
    private long _lastCommitMs;

    public StreamThread(string name, Topology topology, StreamConfig config, IKafkaSupplier supplier, TimeProvider time, ILoggerFactory loggers,
        GlobalStateStores? globalStores = null)
    {
        Name = name;
        _topology = topology;
        _config = config;
        _supplier = supplier;
        _time = time;
        _logger = loggers.CreateLogger<StreamThread>();
        _taskCreator = new TaskCreator(topology, config, time, loggers, globalStores);
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
        _consumer = _supplier.GetConsumer(KafkaClientConfigs.MainConsumer(_config, Name), this);
    }

    private void RunOnce()
    {
        for (var i = 0; i < _config.MaxPollRecords && !_stopRequested; i++)
        {
            var record = _consumer!.Consume(i == 0 ? _config.PollTimeout : TimeSpan.Zero);
            if (record is null) break;
            if (record.IsPartitionEOF) continue;
            if (!_taskByPartition.TryGetValue(record.TopicPartition, out var task))
                throw new StreamsException($"{Name} got a record of {record.TopicPartition}, which no task owns.");
            task.Process(record);
        }
        foreach (var task in _tasks.Values) task.MaybePunctuateWallClock();
        if (NowMs - _lastCommitMs >= _config.CommitInterval.TotalMilliseconds) CommitAll();
    }

    private void CommitAll() => Commit(_tasks.Values.ToList());

    private void Commit(IReadOnlyCollection<StreamTask> tasks)
    {
        _lastCommitMs = NowMs;
        if (tasks.Count == 0 || _consumer is null) return;
        var started = Stopwatch.GetTimestamp();
        var offsets = tasks.SelectMany(t => t.PrepareCommit()).ToList();
        _collector!.Flush();
        if (offsets.Count == 0) return;
        _consumer.Commit(offsets);
        StreamsMetrics.Commits.Add(1);
        _logger.LogDebug("{Thread} committed {Count} partitions in {Ms:F1} ms", Name, offsets.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public void PartitionsAssigned(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        _logger.LogInformation("{Thread} assigned {Partitions}", Name, string.Join(", ", partitions));
        var reader = new ConsumerChangelogReader(_restoreConsumer!, _logger, TimeSpan.FromSeconds(30));
        foreach (var group in _taskCreator.GroupByTask(partitions))
        {
            if (_suspended.Remove(group.Key, out var task))
            {
                task.Resume();
            }
            else
            {
                task = _taskCreator.Create(group.Key, group.ToList(), _collector!);
                task.Initialize(reader);
            }
            _tasks[group.Key] = task;
            foreach (var tp in task.Partitions) _taskByPartition[tp] = task;
        }
        foreach (var stale in _suspended.Values) stale.Close();
        _suspended.Clear();
        State.TryTransitTo(StreamThreadState.Running);
    }

    public void PartitionsRevoked(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        _logger.LogInformation("{Thread} revoked {Partitions}", Name, string.Join(", ", partitions));
        var revoked = TasksOf(partitions);
        // After a fatal error nothing more is committed: output of the failed batch may be lost.
        if (FatalError is null) Commit(revoked);
        foreach (var task in revoked)
        {
            task.Suspend();
            _suspended[task.Id] = task;
            Forget(task);
        }
        State.TryTransitTo(StreamThreadState.PartitionsRevoked);
    }

    public void PartitionsLost(IConsumer<byte[], byte[]> consumer, IReadOnlyList<TopicPartition> partitions)
    {
        _logger.LogWarning("{Thread} lost {Partitions}; their tasks close without committing", Name, string.Join(", ", partitions));
        foreach (var task in TasksOf(partitions))
        {
            task.Close();
            Forget(task);
        }
    }

    private List<StreamTask> TasksOf(IEnumerable<TopicPartition> partitions) =>
        partitions.Select(tp => _taskByPartition.GetValueOrDefault(tp)).OfType<StreamTask>().Distinct().ToList();

    private void Forget(StreamTask task)
    {
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

    private void Close(StreamTask task) => TryDo(task.Close, $"closing task {task.Id}");

    private void TryDo(Action action, string what)
    {
        try { action(); }
        catch (Exception e) { _logger.LogWarning(e, "{Thread}: error while {What}", Name, what); }
    }
}
