using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Errors;
using Otto.Streams.Graph;

namespace Otto.Streams.Runtime;

/// <summary>
/// One partition of one sub-topology: its own node instances and stores. Processes records in the order it
/// is given them, tracks stream time and the offsets to commit, and runs punctuations. The same class runs
/// under a stream thread and under the TopologyTestDriver.
/// </summary>
internal sealed class StreamTask
{
    private readonly ProcessorTopology _topology;
    private readonly ProcessorContextImpl _context;
    private readonly ProcessorStateManager _stateManager;
    private readonly StreamConfig _config;
    private readonly ILogger _logger;
    private readonly Dictionary<TopicPartition, long> _consumed = [];
    private bool _commitNeeded;
    private readonly StateMachine<TaskState> _state;
    private readonly KeyValuePair<string, object?> _taskTag;

    public StreamTask(TaskId id, IReadOnlyList<TopicPartition> partitions, ProcessorTopology topology, StreamConfig config,
        RecordCollector collector, TimeProvider time, ILogger logger)
    {
        Id = id;
        Partitions = partitions;
        _topology = topology;
        _config = config;
        _logger = logger;
        _state = TaskStates.Create(id);
        _taskTag = new KeyValuePair<string, object?>("task", id.ToString());
        var stateDir = Path.Combine(config.StateDir, config.ApplicationId, id.ToString());
        _stateManager = new ProcessorStateManager(config.ApplicationId, id, stateDir, collector, () => _context!.Timestamp);
        _context = new ProcessorContextImpl(config.ApplicationId, id, collector, _stateManager, time, logger);
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

    /// <summary>Opens the stores, replays their changelogs, then initializes the processors.</summary>
    public void Initialize(IChangelogReader changelogs)
    {
        _state.TransitTo(TaskState.Restoring);
        _stateManager.InitializeStores(_topology.Stores);
        var restored = _stateManager.Restore(changelogs);
        if (restored > 0) _logger.LogInformation("Task {Task} restored {Count} records", Id, restored);
        foreach (var node in _topology.Nodes) node.Init(_context);
        _state.TransitTo(TaskState.Running);
    }

    /// <summary>Processes one consumed record, routing failures to the configured error handling.</summary>
    public void Process(ConsumeResult<byte[], byte[]> record)
    {
        if (!_topology.SourcesByTopic.TryGetValue(record.Topic, out var source))
            throw new StreamsException($"Task {Id} got a record of topic {record.Topic}, which it does not read.");

        var started = Stopwatch.GetTimestamp();
        var timestamp = record.Message.Timestamp.UnixTimestampMs;
        _context.RecordMetadata = new Processors.RecordMetadata(record.Topic, record.Partition.Value, record.Offset.Value);
        _context.Timestamp = timestamp;
        _context.Headers = record.Message.Headers;

        object? key, value;
        try
        {
            (key, value) = source.Deserialize(record.Topic, record.Message.Key, record.Message.Value, record.Message.Headers);
        }
        catch (Exception e)
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
            _context.Collector.SendRaw(_config.DeadLetterTopic!, null, record.Message.Key, record.Message.Value,
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
        _consumed[record.TopicPartition] = record.Offset.Value;
        _commitNeeded = true;
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
        return _consumed.Select(kv => new TopicPartitionOffset(kv.Key, new Offset(kv.Value + 1))).ToList();
    }

    /// <summary>Pauses the task after its offsets were committed in a rebalance.</summary>
    public void Suspend() => _state.TransitTo(TaskState.Suspended);

    /// <summary>Resumes a suspended task whose partitions came back: its stores are still current.</summary>
    public void Resume() => _state.TransitTo(TaskState.Running);

    /// <summary>Closes processors and stores. A clean close follows a commit. A dirty one does not: the stores
    /// hold changes that were never committed, so under exactly_once_v2 (where those changes were aborted with
    /// their transaction) the task's state directory is wiped and the next owner restores from the changelog.
    /// State-directory code must not checkpoint a dirty task (see <see cref="ClosedDirty"/>).</summary>
    public void Close(bool clean = true)
    {
        if (_state.Current == TaskState.Closed) return;
        ClosedDirty = !clean;
        if (_state.Current is TaskState.Running or TaskState.Suspended)
            foreach (var node in _topology.Nodes) node.Close();
        _stateManager.Close();
        _state.TransitTo(TaskState.Closed);
        if (!clean && _config.Guarantee == ProcessingGuarantee.ExactlyOnceV2) WipeState();
    }

    /// <summary>True once the task was closed without a commit: its stores' contents are not to be trusted.</summary>
    public bool ClosedDirty { get; private set; }

    private void WipeState()
    {
        var directory = _stateManager.StateDirectory;
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException e)
        {
            _logger.LogWarning(e, "Task {Task}: could not wipe {Directory} after a dirty close", Id, directory);
        }
    }
}
