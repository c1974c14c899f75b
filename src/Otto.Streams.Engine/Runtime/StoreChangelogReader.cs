using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Otto.Streams.Runtime;

/// <summary>
/// Restores the stores of a thread's restoring tasks from their changelogs, a bounded batch per call, so
/// the thread keeps polling its main consumer between batches (as Kafka Streams' StoreChangelogReader).
/// One group-less consumer is assigned every changelog partition still behind, at its position.
/// Progress (records restored / total, records/s) is logged every few seconds and counted by the
/// <c>otto.streams.restore.remaining</c> and <c>otto.streams.records.restored</c> metrics.
/// </summary>
internal sealed class StoreChangelogReader(IConsumer<byte[], byte[]> consumer, ILogger logger, TimeSpan metadataTimeout)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    private readonly Dictionary<TopicPartition, (StreamTask Task, ChangelogPartition Changelog)> _active = [];
    private readonly Dictionary<TaskId, Progress> _progress = [];
    private bool _assignmentChanged;

    public bool HasRestoringTasks => _progress.Count > 0;

    /// <summary>True when the restore consumer's assignment must change on the next <see cref="Restore"/>.</summary>
    public bool AssignmentChanged => _assignmentChanged;

    /// <summary>A changelog partition's current low and high offsets.</summary>
    public WatermarkOffsets Watermarks(TopicPartition partition) => consumer.QueryWatermarkOffsets(partition, metadataTimeout);

    /// <summary>Starts restoring the task's changelogs; true when there is nothing to restore.</summary>
    public bool Register(StreamTask task)
    {
        var pending = task.StateManager.Changelogs.Where(c => !c.Completed).ToList();
        if (pending.Count == 0) return true;
        foreach (var changelog in pending) _active[changelog.Partition] = (task, changelog);
        var total = pending.Sum(c => c.EndOffset - c.StartOffset);
        _progress[task.Id] = new Progress(total, Stopwatch.GetTimestamp());
        StreamsMetrics.RestoreRemaining.Add(total, TaskTag(task));
        logger.LogInformation("Task {Task}: restoring {Total} changelog records ({Partitions})", task.Id, total,
            string.Join(", ", pending.Select(c => $"{c.Partition.Topic}[{c.Partition.Partition.Value}] {c.StartOffset}..{c.EndOffset}")));
        _assignmentChanged = true;
        return false;
    }

    /// <summary>Stops restoring a task that is closing before it finished.</summary>
    public void Unregister(StreamTask task)
    {
        foreach (var changelog in task.StateManager.Changelogs)
            if (_active.Remove(changelog.Partition)) _assignmentChanged = true;
        if (_progress.Remove(task.Id, out var progress))
            StreamsMetrics.RestoreRemaining.Add(-(progress.Total - progress.Counted.Values.Sum()), TaskTag(task));
    }

    /// <summary>Applies up to <paramref name="maxRecords"/> changelog records, waiting at most
    /// <paramref name="timeout"/> for the first; returns the tasks whose stores are now all restored.</summary>
    public IReadOnlyList<StreamTask> Restore(int maxRecords, TimeSpan timeout)
    {
        if (_assignmentChanged)
        {
            // Nothing left to restore: unassign, so the consumer stops fetching changelogs in the background.
            if (_active.Count == 0) consumer.Unassign();
            else consumer.Assign(_active.Values.Select(a => new TopicPartitionOffset(a.Changelog.Partition, a.Changelog.Position)));
            _assignmentChanged = false;
        }
        if (_active.Count == 0) return [];
        var touched = new HashSet<StreamTask>();
        for (var count = 0; count < maxRecords;)
        {
            var result = consumer.Consume(count == 0 ? timeout : TimeSpan.Zero);
            if (result is null) break;
            if (!_active.TryGetValue(result.TopicPartition, out var entry)) continue;
            touched.Add(entry.Task);
            if (result.IsPartitionEOF) entry.Changelog.MarkEndReached(result.Offset.Value);
            else
            {
                entry.Changelog.Apply(result.Message.Key, result.Message.Value, result.Offset.Value);
                _progress[entry.Task.Id].Restored++;
                count++;
            }
            if (entry.Changelog.Completed)
            {
                _active.Remove(result.TopicPartition);
                _assignmentChanged = true;
            }
        }
        return touched.Where(Report).ToList();
    }

    // Counts the batch, logs progress now and then; true when all of the task's changelogs are restored.
    private bool Report(StreamTask task)
    {
        var progress = _progress[task.Id];
        foreach (var changelog in task.StateManager.Changelogs)
        {
            var counted = progress.Counted.GetValueOrDefault(changelog.Partition);
            if (changelog.Restored == counted) continue;
            progress.Counted[changelog.Partition] = changelog.Restored;
            StreamsMetrics.RecordsRestored.Add(changelog.Restored - counted, TaskTag(task), new("topic", changelog.Partition.Topic));
            StreamsMetrics.RestoreRemaining.Add(counted - changelog.Restored, TaskTag(task));
        }
        var elapsed = Stopwatch.GetElapsedTime(progress.Started);
        var rate = progress.Restored / Math.Max(elapsed.TotalSeconds, 1e-3);
        if (task.StateManager.Changelogs.All(c => c.Completed))
        {
            _progress.Remove(task.Id);
            // What was announced but never came (e.g. transaction markers) is no longer remaining.
            StreamsMetrics.RestoreRemaining.Add(-(progress.Total - progress.Restored), TaskTag(task));
            logger.LogInformation("Task {Task}: restored {Restored} records in {Seconds:F1} s ({Rate:F0} records/s)",
                task.Id, progress.Restored, elapsed.TotalSeconds, rate);
            return true;
        }
        if (elapsed - progress.LastLogged >= ProgressInterval)
        {
            progress.LastLogged = elapsed;
            logger.LogInformation("Task {Task}: restored {Restored} / {Total} records ({Rate:F0} records/s)", task.Id, progress.Restored, progress.Total, rate);
        }
        return false;
    }

    private static KeyValuePair<string, object?> TaskTag(StreamTask task) => new("task", task.Id.ToString());

    private sealed class Progress(long total, long started)
    {
        public long Total { get; } = total;
        public long Started { get; } = started;
        public long Restored { get; set; }
        public Dictionary<TopicPartition, long> Counted { get; } = [];
        public TimeSpan LastLogged { get; set; }
    }
}
