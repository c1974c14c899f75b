using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Errors;
using Otto.Streams.Graph;

namespace Otto.Streams.Runtime;

/// <summary>
/// One partition of one sub-topology: its own node instances and stores. Processes records given to it, or
/// buffered by a stream thread and taken in timestamp order across its partitions (<see cref="PartitionGroup"/>);
/// tracks stream time and the offsets to commit, and runs punctuations. The same class runs under a stream
/// thread and under the TopologyTestDriver.
/// </summary>
internal sealed class StreamTask
{
    private readonly ProcessorTopology _topology;
    private readonly ProcessorContextImpl _context;
    private readonly ProcessorStateManager _stateManager;
    private readonly StreamConfig _config;
    private readonly ILogger _logger;
    // Last processed offset per entry of Partitions (-1: none yet); an array, because ConsumeResult.TopicPartition
    // allocates and a dictionary keyed by it would hash the topic name for every record.
    private readonly long[] _consumed;
    private readonly PartitionGroup _buffered;
    private bool _commitNeeded;
    private readonly StateMachine<TaskState> _state;
    private readonly KeyValuePair<string, object?> _taskTag;

    private readonly StateDirectory _stateDirectory;
    private TaskDirectoryLock? _lock;
    // The stores interactive queries may read (from other threads): set while the task runs, null otherwise.
    private volatile IReadOnlyDictionary<string, State.IStateStore>? _queryable;

    public StreamTask(TaskId id, IReadOnlyList<TopicPartition> partitions, ProcessorTopology topology, StreamConfig config,
        RecordCollector collector, TimeProvider time, ILogger logger, StateDirectory stateDirectory, Lazy<State.RocksDb.RocksDbMemory> memory,
        GlobalStateStores? globalStores = null)
    {
        Id = id;
        Partitions = partitions;
        _topology = topology;
        _config = config;
        _logger = logger;
        _state = TaskStates.Create(id);
        _taskTag = new KeyValuePair<string, object?>("task", id.ToString());
        _consumed = new long[partitions.Count];
        Array.Fill(_consumed, -1L);
        _buffered = new PartitionGroup(partitions.Count);
        _stateDirectory = stateDirectory;
        _stateManager = new ProcessorStateManager(config, id, stateDirectory.TaskDirectory(id), memory, collector, () => _context!.Timestamp, logger);
        _context = new ProcessorContextImpl(config.ApplicationId, id, collector, _stateManager, time, logger, globalStores);
    }

    public TaskId Id { get; }
    public IReadOnlyList<TopicPartition> Partitions { get; }
    public TaskState State => _state.Current;

    /// <summary>Raised on every state change with (old, new).</summary>
    public event Action<TaskState, TaskState>? StateChanged
    {
        add => _state.Changed += value;
        remove => _state.Changed -= value;
    }

    internal ProcessorStateManager StateManager => _stateManager;

    /// <summary>Locks the task directory and opens the stores (state Restoring: their changelogs are then
    /// replayed from <see cref="ProcessorStateManager.Changelogs"/>). False, and still Created, while another
    /// instance or thread holds the task directory.</summary>
    public bool TryInitializeStores(Func<TopicPartition, WatermarkOffsets> watermarks)
    {
        _lock ??= _stateDirectory.TryLock(Id);
        if (_lock is null) return false;
        try
        {
            _stateManager.InitializeStores(_topology.Stores, watermarks);
        }
        catch
        {
            _stateManager.Close(clean: false);
            ReleaseLock();
            throw;
        }
        _state.TransitTo(TaskState.Restoring);
        return true;
    }

    /// <summary>The stores are restored: initializes the processors and starts processing.</summary>
    public void CompleteRestoration()
    {
        foreach (var node in _topology.Nodes) node.Init(_context);
        _state.TransitTo(TaskState.Running);
        PublishStores();
    }

    private void PublishStores() => _queryable = _stateManager.Stores.ToDictionary(s => s.Name);

    /// <summary>The store <paramref name="name"/> for an interactive query, or null when the task has none or is
    /// not running (restoring, suspended, closed). Safe to call from any thread.</summary>
    public State.IStateStore? QueryableStore(string name) => _queryable?.GetValueOrDefault(name);

    /// <summary>After a commit: records the changelog offsets the stores hold (see <see cref="ProcessorStateManager.Checkpoint"/>).</summary>
    public void Checkpoint() => _stateManager.Checkpoint();

    /// <summary>Buffers a fetched record; returns how many records of its partition are buffered now.</summary>
    public int Buffer(ConsumeResult<byte[], byte[]> record)
    {
        var index = PartitionIndex(record.Topic, record.Partition.Value);
        _buffered.Add(index, record);
        return _buffered.Count(index);
    }

    /// <summary>Records buffered for <paramref name="partition"/>.</summary>
    public int BufferedCount(TopicPartition partition) => _buffered.Count(PartitionIndex(partition.Topic, partition.Partition.Value));

    /// <summary>The consumer reached the end of <paramref name="partition"/>.</summary>
    public void MarkAtEnd(TopicPartition partition) => _buffered.MarkAtEnd(PartitionIndex(partition.Topic, partition.Partition.Value));

    /// <summary>Processes buffered records in timestamp order across the task's partitions, as long as no
    /// partition may still deliver an older one (or <see cref="StreamConfig.MaxTaskIdle"/> passed); returns how many.</summary>
    public int ProcessBuffered(long nowMs)
    {
        var processed = 0;
        var maxIdleMs = (long)_config.MaxTaskIdle.TotalMilliseconds;
        while (_buffered.Next(nowMs, maxIdleMs, out var enforced) is { } record)
        {
            if (enforced) StreamsMetrics.EnforcedProcessing.Add(1, _taskTag);
            Process(record);
            processed++;
        }
        return processed;
    }

    /// <summary>Processes one consumed record, routing failures to the configured error handling.</summary>
    public void Process(ConsumeResult<byte[], byte[]> record)
    {
        if (!_topology.SourcesByTopic.TryGetValue(record.Topic, out var source))
            throw new StreamsException($"Task {Id} got a record of topic {record.Topic}, which it does not read.");

        var started = Stopwatch.GetTimestamp();
        var timestamp = record.Message.Timestamp.UnixTimestampMs;
        _context.SetSource(record);
        _context.Timestamp = timestamp;
        _context.Headers = record.Message.Headers;

        object? key, value;
        try
        {
            (key, value) = source.Deserialize(record.Topic, record.Message.Key, record.Message.Value, record.Message.Headers);
        }
        // A serde throws StreamsException for what is not the record's fault (the schema registry down): every
        // record would fail alike, so the thread stops instead of dead-lettering its input.
        catch (Exception e) when (e is not StreamsException)
        {
            Reject(record, "deserialization", e, _config.DeserializationErrors);
            return;
        }

        try
        {
            source.Process(key, value);
        }
        catch (Exception e) when (e is not StreamsException)
        {
            Reject(record, "processing", e, _config.ProcessingErrors);
            return;
        }
        MarkConsumed(record);
        StreamsMetrics.RecordsProcessed.Add(1, _taskTag);
        StreamsMetrics.ProcessLatency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _taskTag);

        if (timestamp > _context.StreamTimeMs)
        {
            _context.StreamTimeMs = timestamp;
            _context.StreamTimePunctuations.MaybePunctuate(timestamp, _context.RunPunctuator);
        }
    }

    private void Reject(ConsumeResult<byte[], byte[]> record, string stage, Exception error, ErrorHandling handling)
    {
        var where = $"{record.Topic}[{record.Partition.Value}]@{record.Offset.Value}";
        if (handling == ErrorHandling.Fail)
            throw new StreamsException($"Task {Id}: {stage} failed for record {where}", error);

        MarkConsumed(record);
        if (handling == ErrorHandling.DeadLetter)
        {
            _context.Collector.SendRaw(_config.DeadLetterTopic!, record.Message.Key, record.Message.Value,
                record.Message.Timestamp.UnixTimestampMs, DeadLetterHeaders.For(record, stage, Id.ToString(), error));
            StreamsMetrics.DeadLetters.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("topic", record.Topic));
            _logger.LogWarning("Task {Task}: {Stage} failed for record {Where}, sent to dead-letter topic {Dlq}: {Error}",
                Id, stage, where, _config.DeadLetterTopic, error.Message);
        }
        else
        {
            StreamsMetrics.RecordsDropped.Add(1, new KeyValuePair<string, object?>("reason", stage));
            _logger.LogWarning("Task {Task}: {Stage} failed for record {Where}, skipped: {Error}", Id, stage, where, error.Message);
        }
    }

    private void MarkConsumed(ConsumeResult<byte[], byte[]> record)
    {
        _consumed[PartitionIndex(record.Topic, record.Partition.Value)] = record.Offset.Value;
        _commitNeeded = true;
    }

    private int PartitionIndex(string topic, int partition)
    {
        for (var i = 0; i < Partitions.Count; i++)
            if (Partitions[i].Partition.Value == partition && Partitions[i].Topic == topic) return i;
        throw new StreamsException($"Task {Id} got a record of {topic}[{partition}], which it does not own.");
    }

    /// <summary>Runs due wall-clock punctuations; returns how many ran.</summary>
    public int MaybePunctuateWallClock() =>
        _context.WallClockPunctuations.MaybePunctuate(_context.SystemTimeMs, _context.RunPunctuator);

    /// <summary>Flushes the stores and returns the offsets to commit (next offset to read per partition);
    /// none when nothing was consumed since the last commit.</summary>
    public IReadOnlyList<TopicPartitionOffset> PrepareCommit()
    {
        _stateManager.Flush();
        if (!_commitNeeded) return [];
        _commitNeeded = false;
        var offsets = new List<TopicPartitionOffset>(Partitions.Count);
        for (var i = 0; i < Partitions.Count; i++)
            if (_consumed[i] >= 0) offsets.Add(new TopicPartitionOffset(Partitions[i], new Offset(_consumed[i] + 1)));
        return offsets;
    }

    /// <summary>Pauses the task after its offsets were committed in a rebalance.</summary>
    public void Suspend()
    {
        _queryable = null;
        _buffered.Clear(); // unprocessed, so uncommitted: fetched again when the partitions come back
        _state.TransitTo(TaskState.Suspended);
    }

    /// <summary>Resumes a suspended task whose partitions came back: its stores are still current.</summary>
    public void Resume()
    {
        _state.TransitTo(TaskState.Running);
        PublishStores();
    }

    /// <summary>Closes processors and stores and releases the task directory. A clean close (its output
    /// acknowledged) checkpoints the stores; after an error or a lost partition the old checkpoint stays.</summary>
    public void Close(bool clean = true)
    {
        if (_state.Current == TaskState.Closed) return;
        _queryable = null;
        _buffered.Clear();
        try
        {
            if (_state.Current is TaskState.Running or TaskState.Suspended)
                foreach (var node in _topology.Nodes) node.Close();
            if (_state.Current != TaskState.Created) _stateManager.Close(clean);
        }
        finally
        {
            ReleaseLock();
            _state.TransitTo(TaskState.Closed);
        }
    }

    private void ReleaseLock()
    {
        _lock?.Dispose();
        _lock = null;
    }
}
