using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streamiz.Kafka.Net;

namespace Otto.Streams.Streamiz.CatchUp;

/// <summary>
/// Makes a task that takes over partitions read the backlog they held before it judges any deadline: give it to the
/// topology, and each task's processor starts a <see cref="TaskCatchUp"/> in its Init and asks it before timed rules.
/// A lag threshold on record timestamps alone is not enough: right after a takeover the backlog is young (the session
/// timeout's worth), yet the reply that settles a deadline may be in it.
/// </summary>
/// <example>
/// <code>
/// var catchUp = new TakeoverCatchUp(new KafkaBacklogProbe(streamConfig), loggerFactory);
/// // in the processor:
/// public void Init(ProcessorContext&lt;K, V&gt; context) =&gt; _catchUp = catchUp.Start(context, sourceTopics, bound);
/// public Record&lt;K, V&gt; Process(Record&lt;K, V&gt; record) { _catchUp.Processed(context); ... }
/// private void Sweep(long now) { if (!_catchUp.IsCaughtUp(now)) return; ... }
/// </code>
/// </example>
public sealed class TakeoverCatchUp
{
    private readonly IBacklogProbe? _probe;
    private readonly ILogger _logger;

    /// <summary>Nothing to catch up: every task is caught up from its start (Streamiz's TopologyTestDriver, which
    /// has no cluster, and tools that only inspect a topology).</summary>
    public static TakeoverCatchUp None { get; } = new();

    private TakeoverCatchUp() => _logger = NullLogger.Instance;

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

    /// <summary>Starts the catch-up of the task behind <paramref name="context"/> (call it from the processor's Init).
    /// The task's input partitions are partition <c>context.Id.Partition</c> of each of
    /// <paramref name="sourceTopics"/>, the source topics of the processor's sub-topology.</summary>
    /// <param name="context">The processor's context, in Init.</param>
    /// <param name="sourceTopics">Every topic the processor's sub-topology reads.</param>
    /// <param name="bound">The most a task waits for its backlog, from its start.</param>
    public TaskCatchUp Start(ProcessorContext context, IEnumerable<string> sourceTopics, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(sourceTopics);
        var partitions = sourceTopics.Distinct(StringComparer.Ordinal)
            .Select(topic => new TopicPartition(topic, context.Id.Partition))
            .ToList();
        return Start(context.Id.ToString(), partitions, context.WallClockTime, bound);
    }

    /// <summary>Starts the catch-up of a task reading <paramref name="partitions"/>, at <paramref name="nowMs"/>.</summary>
    /// <param name="task">The task's name, for the logs.</param>
    /// <param name="partitions">The task's input partitions.</param>
    /// <param name="nowMs">The task's wall clock now, in Unix milliseconds.</param>
    /// <param name="bound">The most the task waits for its backlog, from now.</param>
    public TaskCatchUp Start(string task, IReadOnlyList<TopicPartition> partitions, long nowMs, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(partitions);
        if (bound < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "The catch-up bound cannot be negative.");
        }

        if (_probe is null || partitions.Count == 0)
        {
            return new TaskCatchUp(task, partitions, backlog: null, cancel: null, nowMs, bound, _logger);
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
        return new TaskCatchUp(task, partitions, backlog, cancel, nowMs, bound, _logger);
    }
}
