using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.Runtime;
using static Otto.IntegrationTests.InMemory.InMemoryStreams;

namespace Otto.IntegrationTests.InMemory;

/// <summary>
/// exactly_once_v2 commit and abort semantics, proved on <see cref="InMemoryKafka"/> (transaction markers,
/// read_committed, TxnOffsetCommit, fencing): the embedded mock cluster accepts transactions but writes no
/// markers and discards transactional offsets, so it cannot show these.
/// </summary>
public class ExactlyOnceTests
{

    private static (InMemoryKafka Kafka, InMemorySupplier Supplier, ManualClock Clock) Cluster()
    {
        var kafka = new InMemoryKafka();
        kafka.CreateTopic("in", 2);
        kafka.CreateTopic("out", 2);
        return (kafka, new InMemorySupplier(kafka), new ManualClock());
    }

    private static KafkaStream Stream(Topology topology, string app, InMemorySupplier supplier, ManualClock clock) =>
        new(topology, Config(app, ProcessingGuarantee.ExactlyOnceV2), supplier, time: clock, topicManager: supplier);

    [Fact]
    public async Task Output_state_and_offsets_commit_together_and_a_failure_aborts_all_three()
    {
        var (kafka, supplier, clock) = Cluster();
        var armed = true;
        Produce(kafka, "in", ("a", "x"), ("b", "x"), ("a", "x"), ("a", "boom"), ("b", "x"));

        using (var failing = Stream(Counting(() => armed), "eos", supplier, clock))
        {
            failing.Start();
            await Eventually.True(() => failing.State == KafkaStreamState.Error, Wait, "the processing failure");
        }
        // Counts reached the output topic inside the transaction, which was aborted: invisible to
        // read_committed readers, changelog included, and no offset was committed.
        Assert.NotEmpty(kafka.Aborted("out"));
        Assert.NotEmpty(kafka.Aborted("eos-counts-changelog"));
        Assert.Empty(kafka.Committed("out"));
        Assert.Empty(kafka.Committed("eos-counts-changelog"));
        Assert.Equal(0, CommittedTotal(kafka, "eos", "in"));

        armed = false;
        using var restarted = Stream(Counting(() => armed), "eos", supplier, clock);
        restarted.Start();
        await CommitUntil(kafka, clock, "eos", 5);
        Assert.Equal([("a", "1"), ("a", "2"), ("a", "3")], kafka.Committed("out").Where(r => r.Key == "a"));
        Assert.Equal([("b", "1"), ("b", "2")], kafka.Committed("out").Where(r => r.Key == "b"));
    }

    [Fact]
    public async Task A_fenced_producer_closes_the_tasks_dirty_and_the_thread_restores_and_rejoins_without_duplicates()
    {
        var (kafka, supplier, clock) = Cluster();
        var taskStates = new List<(TaskId, TaskState)>();
        using var stream = Stream(Counting(() => false), "fence", supplier, clock);
        stream.TaskStateChanged += (id, _, to) => { lock (taskStates) taskStates.Add((id, to)); };
        Produce(kafka, "in", ("a", "x"), ("b", "x"));
        stream.Start();
        // One commit, once both records are processed, so that nothing else commits before the fence.
        await Eventually.True(() => EndTotal(kafka, "out") == 2, Wait, "both counts sent");
        clock.Advance(TimeSpan.FromHours(2));
        await Eventually.True(() => CommittedTotal(kafka, "fence", "in") == 2, Wait, "the first commit");

        Produce(kafka, "in", ("a", "x"));
        await Eventually.True(() => EndTotal(kafka, "out") == 3, Wait, "a's second count, not yet committed");
        // Another instance starts with this thread's transactional id: the open transaction is aborted and
        // this producer is fenced; its next send finds out.
        kafka.Fence($"fence-{stream.ProcessId}-1");
        Produce(kafka, "in", ("b", "x"));
        await CommitUntil(kafka, clock, "fence", 4);

        Assert.Equal([("a", "1"), ("a", "2")], kafka.Committed("out").Where(r => r.Key == "a"));
        Assert.Equal([("b", "1"), ("b", "2")], kafka.Committed("out").Where(r => r.Key == "b"));
        Assert.Contains(("a", "2"), kafka.Aborted("out"));
        Assert.Equal(KafkaStreamState.Running, stream.State);
        lock (taskStates)
        {
            // Each task was closed and a new one restored its store from the committed changelog.
            foreach (var task in taskStates.Select(t => t.Item1).Distinct())
                Assert.Equal([TaskState.Restoring, TaskState.Running, TaskState.Closed, TaskState.Restoring, TaskState.Running],
                    taskStates.Where(t => t.Item1 == task).Select(t => t.Item2));
        }
    }

    [Fact]
    public async Task A_transaction_that_cannot_commit_is_aborted_and_its_records_are_processed_again_once()
    {
        var (kafka, supplier, clock) = Cluster();
        using var stream = Stream(Counting(() => false), "commitfail", supplier, clock);
        Produce(kafka, "in", ("a", "x"), ("b", "x"), ("a", "x"));
        kafka.CommitFault = new KafkaRetriableException(new Error(ErrorCode.RequestTimedOut, "the coordinator timed out"));
        stream.Start();
        await Eventually.True(() => EndTotal(kafka, "out") == 3, Wait, "three counts sent");
        await CommitUntil(kafka, clock, "commitfail", 3);

        Assert.Equal([("a", "1"), ("a", "2")], kafka.Committed("out").Where(r => r.Key == "a"));
        Assert.Equal([("b", "1")], kafka.Committed("out").Where(r => r.Key == "b"));
        Assert.Equal(3, kafka.Aborted("out").Count);
        Assert.Equal(KafkaStreamState.Running, stream.State);
    }
}
