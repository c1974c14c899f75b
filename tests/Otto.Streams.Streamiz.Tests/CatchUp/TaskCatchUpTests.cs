using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.Streamiz.CatchUp;
using Otto.Streams.Streamiz.Tests.Kafka;
using Xunit.Abstractions;

namespace Otto.Streams.Streamiz.Tests.CatchUp;

/// <summary>The catch-up bookkeeping of one task, with a probe the test answers and the task's clock given explicitly.</summary>
public sealed class TaskCatchUpTests
{
    private const long T0 = 1_000_000;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private static readonly TopicPartition Facts = new("facts", 3);
    private static readonly TopicPartition Replies = new("replies", 3);

    private readonly ScriptedProbe _probe = new();
    private readonly TestOutputLogger _log;
    private readonly TakeoverCatchUp _catchUp;

    public TaskCatchUpTests(ITestOutputHelper output)
    {
        _log = new TestOutputLogger(output, LogLevel.Information);
        _catchUp = new TakeoverCatchUp(_probe, _log);
    }

    private TaskCatchUp Start(params TopicPartition[] partitions) =>
        _catchUp.Start("0-3", 3, partitions.Length > 0 ? [.. partitions.Select(p => p.Topic)] : ["facts", "replies"], ["payments"], T0, Bound);

    [Fact]
    public void With_nothing_to_catch_up_a_task_is_caught_up_from_its_start()
    {
        var catchUp = TakeoverCatchUp.None.Start("0-3", 3, ["facts", "replies"], ["payments"], T0, Bound);

        Assert.True(catchUp.IsCaughtUp(T0));
    }

    [Fact]
    public void Until_the_probe_answers_the_task_is_not_caught_up_whatever_it_processed()
    {
        var catchUp = Start();
        catchUp.Processed("facts", 3, 1_000);
        catchUp.Processed("replies", 3, 1_000);

        Assert.False(catchUp.IsCaughtUp(T0 + 60_000));
        Assert.Equal([Facts, Replies], _probe.Asked);
    }

    [Fact]
    public void The_task_is_caught_up_once_it_processed_the_last_backlog_record_of_every_partition()
    {
        var catchUp = Start();
        _probe.Answer(new PartitionBacklog(Facts, 10, 20, 19), new PartitionBacklog(Replies, 5, 8, 7));

        catchUp.Processed("facts", 3, 19);
        Assert.False(catchUp.IsCaughtUp(T0 + 1));
        catchUp.Processed("replies", 3, 6);
        Assert.False(catchUp.IsCaughtUp(T0 + 2));
        catchUp.Processed("replies", 3, 7);

        Assert.True(catchUp.IsCaughtUp(T0 + 3));
    }

    [Fact]
    public void Records_processed_before_the_probe_answered_count()
    {
        var catchUp = Start();
        catchUp.Processed("facts", 3, 19);
        catchUp.Processed("replies", 3, 9); // past the end the probe saw: a record that came later

        _probe.Answer(new PartitionBacklog(Facts, 10, 20, 19), new PartitionBacklog(Replies, 5, 8, 7));

        Assert.True(catchUp.IsCaughtUp(T0 + 1));
    }

    [Fact]
    public void A_later_record_stands_for_a_last_backlog_record_that_never_reached_the_processor()
    {
        var catchUp = Start(Facts);
        _probe.Answer(new PartitionBacklog(Facts, 10, 20, 19));
        catchUp.Processed("facts", 3, 18);
        Assert.False(catchUp.IsCaughtUp(T0 + 1));

        catchUp.Processed("facts", 3, 21); // 19 was dead-lettered before the processor; 21 arrived after the start

        Assert.True(catchUp.IsCaughtUp(T0 + 2));
    }

    [Fact]
    public void A_last_backlog_record_skipped_before_the_processor_counts_as_read_for_its_task_only()
    {
        var catchUp = Start(Facts);
        var other = _catchUp.Start("0-2", 2, ["facts"], ["payments"], T0, Bound);
        _probe.Answer(new PartitionBacklog(Facts, 10, 20, 19));
        catchUp.Processed("facts", 3, 18);

        _catchUp.Skipped("0-2", "facts", 3, 19); // another task: not this one's record
        Assert.False(catchUp.IsCaughtUp(T0 + 1));
        _catchUp.Skipped("0-3", "facts", 3, 19); // 19 was dead-lettered at deserialization

        Assert.True(catchUp.IsCaughtUp(T0 + 2));
        other.Dispose();
    }

    [Fact]
    public void A_closed_task_is_forgotten_and_a_new_one_with_its_id_takes_its_place()
    {
        var closed = Start(Facts);
        closed.Dispose();
        var reopened = Start(Facts);
        _probe.Answer(new PartitionBacklog(Facts, 10, 20, 19));
        closed.Dispose(); // twice: must not remove its successor

        _catchUp.Skipped("0-3", "facts", 3, 19);

        Assert.True(reopened.IsCaughtUp(T0 + 1));
    }

    [Fact]
    public void Partitions_with_nothing_to_read_are_caught_up_as_soon_as_the_probe_answers()
    {
        var catchUp = Start();
        Assert.False(catchUp.IsCaughtUp(T0));

        // Committed at the end, and a tail of transaction markers only.
        _probe.Answer(new PartitionBacklog(Facts, 20, 20, null), new PartitionBacklog(Replies, 7, 8, null));

        Assert.True(catchUp.IsCaughtUp(T0 + 1));
        Assert.Contains(_log.Lines, l => l.Message.Contains("read the backlog of its input partitions in 1 ms"));
    }

    [Fact]
    public void Records_of_other_partitions_do_not_count()
    {
        var catchUp = Start(Facts);
        _probe.Answer(new PartitionBacklog(Facts, 10, 20, 19));

        catchUp.Processed("facts", 4, 19);
        catchUp.Processed("other", 3, 19);

        Assert.False(catchUp.IsCaughtUp(T0 + 1));
    }

    [Fact]
    public void A_partition_still_behind_is_given_up_exactly_at_the_bound_and_logged_with_what_is_left()
    {
        var catchUp = Start();
        _probe.Answer(new PartitionBacklog(Facts, 10, 20, 19), new PartitionBacklog(Replies, 5, 8, 7));
        catchUp.Processed("facts", 3, 19);

        Assert.False(catchUp.IsCaughtUp(T0 + (long)Bound.TotalMilliseconds - 1));
        Assert.True(catchUp.IsCaughtUp(T0 + (long)Bound.TotalMilliseconds));
        var warning = Assert.Single(_log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Contains("replies [[3]] up to offset 7", warning.Message);
        Assert.DoesNotContain("facts", warning.Message);
    }

    [Fact]
    public void A_failed_probe_is_logged_once_and_the_task_waits_for_the_bound()
    {
        var catchUp = Start();
        _probe.Fail(new KafkaException(ErrorCode.Local_TimedOut));

        for (var t = T0; t < T0 + (long)Bound.TotalMilliseconds; t += 5_000)
        {
            Assert.False(catchUp.IsCaughtUp(t));
        }

        Assert.True(catchUp.IsCaughtUp(T0 + (long)Bound.TotalMilliseconds));
        Assert.Single(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("could not find where its input partitions stood"));
    }

    [Fact]
    public void A_probe_that_throws_at_once_is_a_failed_probe()
    {
        _probe.ThrowOnCall = new InvalidOperationException("no cluster");
        var catchUp = Start();

        Assert.False(catchUp.IsCaughtUp(T0 + 1));
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("no cluster"));
        Assert.True(catchUp.IsCaughtUp(T0 + (long)Bound.TotalMilliseconds));
    }

    [Fact]
    public void An_answer_that_leaves_out_a_partition_is_a_failed_probe()
    {
        var catchUp = Start();
        _probe.Answer(new PartitionBacklog(Facts, 20, 20, null));

        Assert.False(catchUp.IsCaughtUp(T0 + 1));
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("did not answer for replies [[3]]"));
    }

    [Fact]
    public void A_probe_that_never_answers_is_cancelled_at_the_bound()
    {
        var catchUp = Start();

        Assert.False(catchUp.IsCaughtUp(T0 + (long)Bound.TotalMilliseconds - 1));
        Assert.False(_probe.Token.IsCancellationRequested);
        Assert.True(catchUp.IsCaughtUp(T0 + (long)Bound.TotalMilliseconds));

        Assert.True(_probe.Token.IsCancellationRequested);
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("the probe has not answered yet"));
    }

    [Fact]
    public void Closing_the_task_cancels_its_probe()
    {
        var catchUp = Start();

        catchUp.Dispose();

        Assert.True(_probe.Token.IsCancellationRequested);
    }

    [Fact]
    public void Once_caught_up_a_task_stays_caught_up()
    {
        var catchUp = Start(Facts);
        _probe.Answer(new PartitionBacklog(Facts, 10, 20, null));
        Assert.True(catchUp.IsCaughtUp(T0 + 1));

        catchUp.Processed("facts", 3, 5); // a rewind (a replay after an error) does not put it back

        Assert.True(catchUp.IsCaughtUp(T0 + 2));
    }

    [Fact]
    public void While_a_store_of_the_task_restores_it_is_not_caught_up_even_with_nothing_to_read()
    {
        var catchUp = Start();
        _catchUp.Restoring("payments", 3);
        _probe.Answer(new PartitionBacklog(Facts, 20, 20, null), new PartitionBacklog(Replies, 8, 8, null));

        Assert.False(catchUp.IsCaughtUp(T0 + 1));
        _catchUp.Restored("payments", 3);

        Assert.True(catchUp.IsCaughtUp(T0 + 2));
    }

    [Fact]
    public void The_bound_never_cuts_a_restoration_short_and_counts_from_its_end()
    {
        var catchUp = Start();
        _catchUp.Restoring("payments", 3);
        _probe.Answer(new PartitionBacklog(Facts, 10, 20, 19), new PartitionBacklog(Replies, 8, 8, null));
        var restoredAt = T0 + (long)Bound.TotalMilliseconds * 3;

        Assert.False(catchUp.IsCaughtUp(restoredAt - 1));
        _catchUp.Restored("payments", 3);

        Assert.False(catchUp.IsCaughtUp(restoredAt));
        Assert.False(catchUp.IsCaughtUp(restoredAt + (long)Bound.TotalMilliseconds - 1));
        Assert.True(catchUp.IsCaughtUp(restoredAt + (long)Bound.TotalMilliseconds));
    }

    [Fact]
    public void Restoring_other_partitions_or_other_stores_does_not_hold_the_task()
    {
        var catchUp = Start();
        _catchUp.Restoring("payments", 4);
        _catchUp.Restoring("accounts", 3);

        _probe.Answer(new PartitionBacklog(Facts, 20, 20, null), new PartitionBacklog(Replies, 8, 8, null));

        Assert.True(catchUp.IsCaughtUp(T0 + 1));
    }

    /// <summary>A probe whose answer the test gives.</summary>
    private sealed class ScriptedProbe : IBacklogProbe
    {
        private readonly TaskCompletionSource<IReadOnlyList<PartitionBacklog>> _answer = new();

        public IReadOnlyList<TopicPartition> Asked { get; private set; } = [];
        public CancellationToken Token { get; private set; }
        public Exception? ThrowOnCall { get; set; }

        public Task<IReadOnlyList<PartitionBacklog>> FindAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
        {
            if (ThrowOnCall is not null)
            {
                throw ThrowOnCall;
            }

            Asked = partitions;
            Token = cancellationToken;
            return _answer.Task;
        }

        public void Answer(params PartitionBacklog[] backlog) => _answer.SetResult(backlog);

        public void Fail(Exception error) => _answer.SetException(error);
    }
}
