using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Processors;
using Otto.Streams.State;

namespace Otto.Streams.Runtime;

/// <summary>
/// The per-task context shared by all nodes of the task: the record in hand (timestamp, headers, source),
/// the clocks, the stores, the collector, and the forwarding walk through the graph.
/// </summary>
internal sealed class ProcessorContextImpl(
    string applicationId, TaskId taskId, RecordCollector collector, ProcessorStateManager stateManager, TimeProvider time, ILogger logger,
    GlobalStateStores? globalStores = null)
{
    public string ApplicationId { get; } = applicationId;
    public TaskId TaskId { get; } = taskId;
    public RecordCollector Collector { get; } = collector;
    public TimeProvider Time { get; } = time;

    public long Timestamp { get; set; }
    public Headers? Headers { get; set; }
    // The source of the record in hand; its RecordMetadata is built only when a processor asks for it, so
    // the per-record path allocates nothing for it.
    private ConsumeResult<byte[], byte[]>? _source;
    private RecordMetadata? _metadata;

    /// <summary>Where the record in hand came from; null in punctuations.</summary>
    public RecordMetadata? RecordMetadata =>
        _metadata ??= _source is { } r ? new RecordMetadata(r.Topic, r.Partition.Value, r.Offset.Value) : null;

    /// <summary>Makes <paramref name="record"/> the record in hand (null: none, as in a punctuation).</summary>
    public void SetSource(ConsumeResult<byte[], byte[]>? record)
    {
        _source = record;
        _metadata = null;
    }
    public long StreamTimeMs { get; set; } = -1;
    public long SystemTimeMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public PunctuationQueue StreamTimePunctuations { get; } = new();
    public PunctuationQueue WallClockPunctuations { get; } = new();

    public void Forward(ProcessorNode from, object? key, object? value, long? timestamp, Headers? headers, string? childName = null)
    {
        if (timestamp is null && headers is null && childName is null)
        {
            // The DSL's hot path: same timestamp and headers, every child; nothing to save and restore.
            var children = from.Children;
            for (var i = 0; i < children.Count; i++) children[i].Process(key, value);
            return;
        }
        var (savedTimestamp, savedHeaders) = (Timestamp, Headers);
        if (timestamp is { } ts) Timestamp = ts;
        if (headers is not null) Headers = headers;
        try
        {
            var found = false;
            foreach (var child in from.Children)
            {
                if (childName is not null && child.Name != childName) continue;
                found = true;
                child.Process(key, value);
            }
            if (childName is not null && !found)
                throw new InvalidOperationException($"Node {from.Name} has no child named '{childName}'.");
        }
        finally
        {
            (Timestamp, Headers) = (savedTimestamp, savedHeaders);
        }
    }

    public TStore GetStateStore<TStore>(string name) where TStore : IStateStore
    {
        var store = globalStores?.Get(name) ?? stateManager.GetStore(name);
        return store is TStore typed
            ? typed
            : throw new InvalidCastException($"Store '{name}' is a {store.GetType().Name}, not a {typeof(TStore).Name}.");
    }

    public ICancellable Schedule(ProcessorNode node, TimeSpan interval, PunctuationType type, Action<long> punctuator) =>
        type == PunctuationType.StreamTime
            ? StreamTimePunctuations.Add(node, (long)interval.TotalMilliseconds, StreamTimeMs, punctuator)
            : WallClockPunctuations.Add(node, (long)interval.TotalMilliseconds, SystemTimeMs, punctuator);

    /// <summary>Runs one punctuator as if it were processing: no source record, timestamp = punctuation time.</summary>
    public void RunPunctuator(ProcessorNode node, long timeMs, Action<long> punctuator)
    {
        (Timestamp, Headers) = (timeMs, null);
        SetSource(null);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        punctuator(timeMs);
        var tag = new KeyValuePair<string, object?>("task", TaskId.ToString());
        StreamsMetrics.Punctuations.Add(1, tag);
        StreamsMetrics.PunctuationLatency.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
    }

    public void RecordDropped(string nodeName, string reason)
    {
        StreamsMetrics.RecordsDropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
        logger.LogDebug("Task {Task} node {Node} dropped a record: {Reason} ({Metadata})", TaskId, nodeName, reason, RecordMetadata);
    }
}
