using System.Diagnostics;
using Confluent.Kafka;
using Otto.Streams.KafkaNative;
using Streamiz.Kafka.Net;

namespace Otto.Streams.Streamiz.CatchUp;

/// <summary>
/// Finds where a task's input partitions stand with a consumer of its own, built from the stream's configuration
/// (same cluster, security, group id and isolation level) that never joins the group: the group's committed offsets
/// (OffsetFetch), each partition's watermarks (ListOffsets), and, when there is something to read, the last record
/// below the end. Each call runs on the thread pool with its own short-lived consumer, within <see cref="Timeout"/>.
/// </summary>
public sealed class KafkaBacklogProbe : IBacklogProbe
{
    /// <summary>How long one call may take by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    // How long one Consume call waits at most, so that cancellation and the deadline are noticed.
    private static readonly TimeSpan ConsumeSlice = TimeSpan.FromMilliseconds(200);

    private readonly ConsumerConfig _config;
    private readonly bool _resetToEarliest;
    private readonly LibrdkafkaLog _log;

    /// <summary>Creates the probe for the stream configured by <paramref name="config"/>.</summary>
    /// <param name="config">The stream's configuration (its application id is the group whose offsets are read).</param>
    /// <param name="timeout">How long one call may take (<see cref="DefaultTimeout"/> when null).</param>
    public KafkaBacklogProbe(IStreamConfig config, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Timeout = timeout ?? DefaultTimeout;
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), "The probe's timeout must be positive.");
        }

        // The main consumer's settings: group.id = application id, auto-commit off, Streamiz's isolation level (so the
        // end is the last stable offset under exactly-once, as the stream's consumer sees it).
        _config = config.ToConsumerConfig($"{config.ApplicationId}-catch-up-probe");
        _config.EnablePartitionEof = true;
        _config.EnableAutoCommit = false;
        _config.FetchWaitMaxMs = 100;
        _config.GroupInstanceId = null; // never a member, least of all in the stream's static membership
        // librdkafka's default is latest: a group without a committed offset then starts at the end.
        _resetToEarliest = _config.AutoOffsetReset == AutoOffsetReset.Earliest;
        _log = new LibrdkafkaLog(config.Logger);
    }

    /// <summary>How long one call may take.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public Task<IReadOnlyList<PartitionBacklog>> FindAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        // A thread of its own: Find blocks on the cluster for up to Timeout, and a task per starting stream task on the
        // thread pool starved it; the registry's HTTP calls and the health and metrics endpoints, which need pool threads,
        // then stalled for about 10 s at start with a backlog (seen in `./otto bench scale-out`).
        return Task.Factory.StartNew(() => Find(partitions, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private IReadOnlyList<PartitionBacklog> Find(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0)
        {
            return [];
        }

        var deadline = new Deadline(Timeout, cancellationToken);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(_config)
            .SetLogHandler(_log.Write)
            .SetErrorHandler((_, _) => { }) // failures surface as exceptions or the deadline
            .Build();
        var committed = consumer.Committed(partitions, deadline.Remaining())
            .ToDictionary(c => c.TopicPartition, c => c.Offset.Value);
        var backlog = new List<PartitionBacklog>(partitions.Count);
        foreach (var partition in partitions)
        {
            var marks = consumer.QueryWatermarkOffsets(partition, deadline.Remaining());
            var start = committed.TryGetValue(partition, out var offset) && offset >= marks.Low.Value && offset <= marks.High.Value
                ? offset
                : StartWithoutValidOffset(marks); // none, or outside the log: the consumer resets
            var end = marks.High.Value;
            backlog.Add(new PartitionBacklog(partition, start, end, start < end ? LastRecord(consumer, partition, start, end, deadline) : null));
        }

        return backlog;
    }

    private long StartWithoutValidOffset(WatermarkOffsets marks) => _resetToEarliest ? marks.Low.Value : marks.High.Value;

    // Reads back from the end in growing windows until a window holds a record: usually the first, one record long.
    private static long? LastRecord(IConsumer<byte[], byte[]> consumer, TopicPartition partition, long start, long end, Deadline deadline)
    {
        for (long window = 1; ; window *= 16)
        {
            var from = Math.Max(start, end - window);
            consumer.Assign(new TopicPartitionOffset(partition, from));
            long? last = null;
            while (true)
            {
                var result = consumer.Consume(deadline.Slice(ConsumeSlice));
                if (result is null)
                {
                    continue; // nothing yet; the deadline throws when time is up
                }

                if (result.IsPartitionEOF || result.Offset.Value >= end)
                {
                    break;
                }

                last = result.Offset.Value;
            }

            if (last is not null || from == start)
            {
                return last;
            }
        }
    }

    /// <summary>The time one call has left, and its cancellation.</summary>
    private sealed class Deadline(TimeSpan timeout, CancellationToken cancellationToken)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public TimeSpan Remaining()
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = timeout - _clock.Elapsed;
            return left > TimeSpan.Zero
                ? left
                : throw new TimeoutException($"Finding where the task's input partitions stand took longer than {timeout.TotalSeconds:0.#} s.");
        }

        public TimeSpan Slice(TimeSpan most)
        {
            var left = Remaining();
            return left < most ? left : most;
        }
    }
}
