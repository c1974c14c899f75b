using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;

namespace Otto.Streams.Streamiz.CatchUp;

/// <summary>
/// Whether one task has restored its stores and read the backlog its input partitions held when it started (made by
/// <see cref="TakeoverCatchUp.Start(ProcessorContext, IEnumerable{string}, TimeSpan, IEnumerable{string})"/> in a
/// processor's Init). It is caught up once none of its stores is restoring and, for every input partition, it has
/// processed the last record below the end that partition had at the start
/// (<see cref="PartitionBacklog.LastRecordOffset"/>), or there was nothing to read; or, whatever of the backlog is
/// left, once the time bound has passed since the start (or since its stores were restored, if later). Once caught up
/// it stays so.
/// </summary>
/// <remarks>
/// <para>The time bound is what keeps a task from waiting forever: for a tail record that never reaches the processor
/// (dead-lettered at deserialization, dropped upstream), a partition whose end moved back, a probe that failed or is
/// slow. It counts from the start, not from the last progress: whatever of the backlog is still unread then is older
/// than the bound, so a processor that also defers on old records (the payment processor's CatchUpLag) keeps waiting
/// while it reads it. Restoration does not count towards it (no record is processed meanwhile), and is never cut
/// short by it: a store being restored is incomplete.</para>
/// <para>Used on the stream thread only (Init, Process, punctuations): the probe's answer is picked up there, when
/// <see cref="IsCaughtUp"/> sees it finished.</para>
/// </remarks>
public sealed class TaskCatchUp : IDisposable
{
    private readonly string _task;
    private readonly IReadOnlyList<TopicPartition> _partitions;
    private readonly Task<IReadOnlyList<PartitionBacklog>>? _backlog;
    private readonly CancellationTokenSource? _cancel;
    private readonly Func<bool> _restoring;
    private readonly long _startedAtMs;
    private readonly long _timeoutMs;
    private readonly ILogger _logger;
    private readonly Action? _closed;
    // The highest offset processed per input partition, until the backlog is known.
    private readonly Dictionary<(string Topic, int Partition), long> _processed = [];
    // Once the backlog is known: the partitions whose last backlog record has not been processed yet.
    private Dictionary<(string Topic, int Partition), PartitionBacklog>? _behind;
    private string? _failure;
    private bool _caughtUp;
    private bool _wasRestoring;
    // Where the time bound counts from: the start, moved to the end of the restoration when there was one.
    private long _boundFromMs;

    internal TaskCatchUp(string task, IReadOnlyList<TopicPartition> partitions, Task<IReadOnlyList<PartitionBacklog>>? backlog,
        CancellationTokenSource? cancel, Func<bool> restoring, long startedAtMs, TimeSpan timeout, ILogger logger, Action? closed = null)
    {
        _closed = closed;
        _task = task;
        _partitions = partitions;
        _backlog = backlog;
        _cancel = cancel;
        _restoring = restoring;
        _startedAtMs = startedAtMs;
        _boundFromMs = startedAtMs;
        _timeoutMs = (long)timeout.TotalMilliseconds;
        _logger = logger;
        _caughtUp = backlog is null || partitions.Count == 0;
    }

    /// <summary>Notes the record the processor behind <paramref name="context"/> is processing (call it first thing in
    /// Process, so that a record the processor then throws on counts as read).</summary>
    public void Processed(ProcessorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_caughtUp)
        {
            Processed(context.Topic, context.Partition.Value, context.Offset);
        }
    }

    /// <summary>Notes that the record at <paramref name="offset"/> of <paramref name="topic"/>[<paramref name="partition"/>]
    /// has been processed.</summary>
    public void Processed(string topic, int partition, long offset)
    {
        if (_caughtUp)
        {
            return;
        }

        var key = (topic, partition);
        if (_behind is null)
        {
            if (!_processed.TryGetValue(key, out var seen) || offset > seen)
            {
                _processed[key] = offset;
            }
        }
        else if (_behind.TryGetValue(key, out var backlog) && offset >= backlog.LastRecordOffset)
        {
            _behind.Remove(key);
        }
    }

    /// <summary>True once the task has restored its stores and read its start-time backlog, or the time bound has
    /// passed since it started (or finished restoring).</summary>
    /// <param name="nowMs">The task's wall clock (ProcessorContext.WallClockTime), in Unix milliseconds.</param>
    public bool IsCaughtUp(long nowMs)
    {
        if (_caughtUp)
        {
            return true;
        }

        if (_restoring())
        {
            _wasRestoring = true;
            return false;
        }

        if (_wasRestoring)
        {
            _wasRestoring = false;
            _boundFromMs = nowMs;
        }

        if (_behind is null && _failure is null && _backlog!.IsCompleted)
        {
            Learn(_backlog);
        }

        if (_behind is { Count: 0 })
        {
            return Finish(nowMs, timedOut: false);
        }

        return nowMs - _boundFromMs >= _timeoutMs && Finish(nowMs, timedOut: true);
    }

    /// <summary>Cancels the probe if it is still running (the task is closing).</summary>
    public void Dispose()
    {
        _cancel?.Cancel(); // not disposed: the probe may still be reading its token
        _closed?.Invoke();
    }

    private void Learn(Task<IReadOnlyList<PartitionBacklog>> backlog)
    {
        if (!backlog.IsCompletedSuccessfully)
        {
            Fail(backlog.Exception?.GetBaseException().Message ?? "the probe was cancelled");
            return;
        }

        var found = backlog.Result.ToDictionary(b => (b.Partition.Topic, b.Partition.Partition.Value));
        var behind = new Dictionary<(string Topic, int Partition), PartitionBacklog>();
        foreach (var partition in _partitions)
        {
            var key = (partition.Topic, partition.Partition.Value);
            if (!found.TryGetValue(key, out var b))
            {
                Fail($"the probe did not answer for {partition}");
                return;
            }

            if (b.LastRecordOffset is { } last && !(_processed.TryGetValue(key, out var seen) && seen >= last))
            {
                behind[key] = b;
            }
        }

        _behind = behind;
        _processed.Clear();
        if (behind.Count > 0)
        {
            _logger.LogInformation("Task {Task}: deadlines wait until the backlog is read: {Backlog}", _task,
                string.Join(", ", behind.Values.Select(b => $"{b.Partition} offsets {b.StartOffset}..{b.LastRecordOffset}")));
        }
    }

    private void Fail(string reason)
    {
        _failure = reason;
        _logger.LogWarning("Task {Task}: could not find where its input partitions stood when it started ({Reason}); " +
            "deadlines wait the catch-up bound, {Timeout} s", _task, reason, _timeoutMs / 1000.0);
    }

    private bool Finish(long nowMs, bool timedOut)
    {
        _caughtUp = true;
        _cancel?.Cancel();
        var after = nowMs - _startedAtMs;
        if (!timedOut)
        {
            _logger.LogInformation("Task {Task}: read the backlog of its input partitions in {Ms} ms; deadlines are judged from now on", _task, after);
        }
        else
        {
            var left = _failure is not null ? $"where its input stood is unknown ({_failure})"
                : _behind is null ? "the probe has not answered yet"
                : "its backlog is not read: " + string.Join(", ", _behind.Values.Select(b => $"{b.Partition} up to offset {b.LastRecordOffset}"));
            _logger.LogWarning("Task {Task}: deadlines are judged again {Seconds} s after its start (the catch-up bound) although {Left}",
                _task, after / 1000.0, left);
        }

        return true;
    }
}
