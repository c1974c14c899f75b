using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streamiz.Kafka.Net;

namespace Otto.Streams.Streamiz.CatchUp;

/// <summary>
/// Makes a task that takes over partitions (or restarts) restore its stores and read the backlog its input partitions
/// held before it judges any deadline: give it to the topology, and each task's processor starts a
/// <see cref="TaskCatchUp"/> in its Init and asks it before timed rules. A lag threshold on record timestamps alone is
/// not enough: right after a takeover the backlog is young (the session timeout's worth), yet the reply that settles a
/// deadline may be in it.
/// </summary>
/// <remarks>Streamiz 1.8 runs a task's wall-clock punctuations while the task still restores its stores from their
/// changelogs (StreamThread punctuates every active task, restoring or not): <see cref="Watch"/> follows the stream's
/// restoration so that a task is not caught up while one of its processor's stores is restoring.</remarks>
/// <example>
/// <code>
/// var catchUp = new TakeoverCatchUp(new KafkaBacklogProbe(streamConfig), loggerFactory);
/// var stream = new KafkaStream(topologyBuiltWith(catchUp), streamConfig, supplier);
/// catchUp.Watch(stream); // before StartAsync
/// // in the processor:
/// public void Init(ProcessorContext&lt;K, V&gt; context) =&gt; _catchUp = catchUp.Start(context, sourceTopics, bound, ["my-store"]);
/// public Record&lt;K, V&gt; Process(Record&lt;K, V&gt; record) { _catchUp.Processed(context); ... }
/// private void Sweep(long now) { if (!_catchUp.IsCaughtUp(now)) return; ... }
/// </code>
/// </example>
public sealed class TakeoverCatchUp
{
    private readonly IBacklogProbe? _probe;
    private readonly ILogger _logger;
    // The store partitions being restored now (store name, partition), from the watched stream's restore events.
    private readonly ConcurrentDictionary<(string Store, int Partition), bool> _restoring = new();
    // The catch-up of every started task, by task id, until it is disposed (for Skipped).
    private readonly ConcurrentDictionary<string, TaskCatchUp> _tasks = new();

    /// <summary>Nothing to catch up: every task is caught up from its start (Streamiz's TopologyTestDriver, which
    /// has no cluster, and tools that only inspect a topology).</summary>
    public static TakeoverCatchUp None { get; } = new();

    private TakeoverCatchUp() => _logger = NullLogger.Instance;

    // Stateless once caught up: one instance serves every task with nothing to catch up.
    private static TaskCatchUp CaughtUp { get; } = new("", [], backlog: null, cancel: null, () => false, 0, TimeSpan.Zero, NullLogger.Instance);

    /// <summary>Catch-up with <paramref name="probe"/> finding where each task's input stood at its start
    /// (<see cref="KafkaBacklogProbe"/> for a KafkaStream).</summary>
    /// <param name="probe">Finds the backlog of a task's input partitions.</param>
    /// <param name="loggers">For one line per task: its backlog, when it was read, a failure or the bound.</param>
    public TakeoverCatchUp(IBacklogProbe probe, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        _probe = probe;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<TakeoverCatchUp>();
    }

    /// <summary>Follows the restoration of <paramref name="stream"/>'s state stores (Streamiz's restore start and end
    /// events, raised on the stream thread), so that a task restoring a store given to <see cref="Start(ProcessorContext,
    /// IEnumerable{string}, TimeSpan, IEnumerable{string})"/> is not caught up. Call it before the stream starts.</summary>
    /// <remarks>Streamiz raises a task's restore start event in the stream thread's loop after the one that created the
    /// task (its Init): a wall-clock punctuation scheduled for less than one loop (PollMs) could run before it.</remarks>
    public void Watch(KafkaStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.OnRestoreStartEvent += (changelog, store, _, _) => Restoring(store, changelog.Partition.Value);
        stream.OnRestoreEndEvent += (changelog, store, _) => Restored(store, changelog.Partition.Value);
    }

    /// <summary>A store partition began restoring (a task's store partition is its changelog's partition).</summary>
    internal void Restoring(string store, int partition) => _restoring[(store, partition)] = true;

    /// <summary>A store partition is restored.</summary>
    internal void Restored(string store, int partition) => _restoring.TryRemove((store, partition), out _);

    /// <summary>Starts the catch-up of the task behind <paramref name="context"/> (call it from the processor's Init).
    /// The task's input partitions are partition <c>context.Id.Partition</c> of each of
    /// <paramref name="sourceTopics"/>, the source topics of the processor's sub-topology.</summary>
    /// <param name="context">The processor's context, in Init.</param>
    /// <param name="sourceTopics">Every topic the processor's sub-topology reads.</param>
    /// <param name="bound">The most a task waits for its backlog, from its start or, if later, from the end of
    /// restoring its stores.</param>
    /// <param name="stores">The processor's state stores, waited for while they restore (with <see cref="Watch"/>).</param>
    public TaskCatchUp Start(ProcessorContext context, IEnumerable<string> sourceTopics, TimeSpan bound, IEnumerable<string>? stores = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sourceTopics);
        return _probe is null
            ? CaughtUp // without reading the context: tools drive processors with contexts of their own
            : Start(context.Id.ToString(), context.Id.Partition, [.. sourceTopics], [.. stores ?? []], context.WallClockTime, bound);
    }

    /// <summary>Starts the catch-up of a task reading partition <paramref name="partition"/> of
    /// <paramref name="sourceTopics"/>, at <paramref name="nowMs"/>.</summary>
    /// <param name="task">The task's name, for the logs.</param>
    /// <param name="partition">The task's partition.</param>
    /// <param name="sourceTopics">Every topic the task reads.</param>
    /// <param name="stores">The task's state stores, waited for while they restore.</param>
    /// <param name="nowMs">The task's wall clock now, in Unix milliseconds.</param>
    /// <param name="bound">The most the task waits for its backlog, from now or from the end of its restoration.</param>
    public TaskCatchUp Start(string task, int partition, IReadOnlyList<string> sourceTopics, IReadOnlyList<string> stores, long nowMs, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(sourceTopics);
        ArgumentNullException.ThrowIfNull(stores);
        if (bound < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "The catch-up bound cannot be negative.");
        }

        var partitions = sourceTopics.Distinct(StringComparer.Ordinal).Select(topic => new TopicPartition(topic, partition)).ToList();
        if (_probe is null || partitions.Count == 0)
        {
            return CaughtUp;
        }

        var cancel = new CancellationTokenSource();
        Task<IReadOnlyList<PartitionBacklog>> backlog;
        try
        {
            backlog = _probe.FindAsync(partitions, cancel.Token);
        }
        catch (Exception e)
        {
            backlog = Task.FromException<IReadOnlyList<PartitionBacklog>>(e); // the same as a failed query: wait for the bound
        }

        // A task closed before it looked at a failed probe must not leave an unobserved exception behind.
        _ = backlog.ContinueWith(t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var storeList = stores.ToList();
        TaskCatchUp? started = null;
        started = new TaskCatchUp(task, partitions, backlog, cancel, () => storeList.Exists(s => _restoring.ContainsKey((s, partition))),
            nowMs, bound, _logger, closed: () => _tasks.TryRemove(new KeyValuePair<string, TaskCatchUp>(task, started!)));
        _tasks[task] = started; // a task created again (a rebalance) replaces its closed predecessor
        return started;
    }

    /// <summary>
    /// Notes that task <paramref name="task"/> skipped the record at <paramref name="offset"/> of
    /// <paramref name="topic"/>[<paramref name="partition"/>] before it reached the processor (a record Streamiz's
    /// deserialization handler dead-lettered): it counts as read. Without this, a backlog ending with such a record
    /// held the task's timed rules for the whole bound. Call it on the task's stream thread.
    /// </summary>
    public void Skipped(string task, string topic, int partition, long offset)
    {
        if (_tasks.TryGetValue(task, out var catchUp))
        {
            catchUp.Processed(topic, partition, offset);
        }
    }
}
