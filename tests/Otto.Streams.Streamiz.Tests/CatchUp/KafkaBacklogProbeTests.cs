using Confluent.Kafka;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.CatchUp;
using Otto.Streams.Streamiz.Tests.Kafka;
using Streamiz.Kafka.Net;
using Xunit.Abstractions;

namespace Otto.Streams.Streamiz.Tests.CatchUp;

/// <summary>The probe against the embedded cluster: the group's committed offsets, the ends, and the last record
/// below an end that a transaction marker follows.</summary>
public sealed class KafkaBacklogProbeTests(ITestOutputHelper output) : IDisposable
{
    private const string App = "probed";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();
    private readonly string _stateDir = Directory.CreateTempSubdirectory("otto-catchup-").FullName;
    private readonly TestOutputLogger _log = new(output);

    public void Dispose()
    {
        _cluster.Dispose();
        Directory.Delete(_stateDir, recursive: true);
    }

    private KafkaBacklogProbe Probe(Action<StreamConfig>? configure = null, TimeSpan? timeout = null)
    {
        var config = EmbeddedStreams.Config(_cluster, App, _log, _stateDir);
        configure?.Invoke(config);
        return new KafkaBacklogProbe(config, timeout);
    }

    private static async Task<PartitionBacklog> Find(KafkaBacklogProbe probe, TopicPartition partition) =>
        Assert.Single(await probe.FindAsync([partition], CancellationToken.None).WaitAsync(Wait));

    private void Produce(string topic, int count)
    {
        using var producer = EmbeddedStreams.Producer(_cluster);
        for (var i = 0; i < count; i++)
        {
            producer.Produce(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Value = [(byte)i] });
        }

        producer.Flush(Wait);
    }

    private void ProduceInTransaction(string topic, int count)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            TransactionalId = "tx-" + Guid.NewGuid().ToString("N"),
        }).SetLogHandler((_, _) => { }).Build();
        producer.InitTransactions(Wait);
        producer.BeginTransaction();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(new TopicPartition(topic, 0), new Message<byte[], byte[]> { Value = [(byte)i] });
        }

        producer.CommitTransaction(Wait);
    }

    // Commits for the stream's group without joining it, as the previous owner of the partitions did.
    private void Commit(params TopicPartitionOffset[] offsets)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = App,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Commit(offsets);
    }

    [Fact]
    public async Task The_backlog_runs_from_the_groups_committed_offset_to_the_record_before_the_end()
    {
        _cluster.CreateTopic("facts", 2);
        Produce("facts", 10);
        Commit(new TopicPartitionOffset("facts", 0, 4));

        var found = await Probe().FindAsync([new("facts", 0), new("facts", 1)], CancellationToken.None).WaitAsync(Wait);

        Assert.Equal(
            [new PartitionBacklog(new("facts", 0), 4, 10, 9), new PartitionBacklog(new("facts", 1), 0, 0, null)],
            found.OrderBy(b => b.Partition.Partition.Value));
    }

    [Fact]
    public async Task Committed_at_the_end_there_is_nothing_to_read()
    {
        _cluster.CreateTopic("facts", 1);
        Produce("facts", 3);
        Commit(new TopicPartitionOffset("facts", 0, 3));

        Assert.Equal(new PartitionBacklog(new("facts", 0), 3, 3, null), await Find(Probe(), new("facts", 0)));
    }

    [Theory]
    [InlineData(ProcessingGuarantee.AT_LEAST_ONCE)]
    [InlineData(ProcessingGuarantee.EXACTLY_ONCE)] // read_committed: the end is the last stable offset
    public async Task A_commit_marker_at_the_end_is_skipped_the_last_record_is_the_transactions_last(ProcessingGuarantee guarantee)
    {
        _cluster.CreateTopic("replies", 1);
        Produce("replies", 3); // 0..2
        ProduceInTransaction("replies", 2); // 3, 4, and the commit marker at 5

        var probe = Probe(c => c.Guarantee = guarantee);

        Assert.Equal(new PartitionBacklog(new("replies", 0), 0, 6, 4), await Find(probe, new("replies", 0)));
    }

    [Fact]
    public async Task A_backlog_of_nothing_but_a_commit_marker_has_no_record_to_wait_for()
    {
        _cluster.CreateTopic("replies", 1);
        ProduceInTransaction("replies", 1); // 0, marker at 1
        Commit(new TopicPartitionOffset("replies", 0, 1)); // the record was processed, the marker is left

        Assert.Equal(new PartitionBacklog(new("replies", 0), 1, 2, null), await Find(Probe(), new("replies", 0)));
    }

    [Fact]
    public async Task Without_a_committed_offset_the_backlog_starts_where_auto_offset_reset_starts_the_task()
    {
        _cluster.CreateTopic("facts", 1);
        Produce("facts", 5);

        Assert.Equal(new PartitionBacklog(new("facts", 0), 0, 5, 4), await Find(Probe(c => c.AutoOffsetReset = AutoOffsetReset.Earliest), new("facts", 0)));
        Assert.Equal(new PartitionBacklog(new("facts", 0), 5, 5, null), await Find(Probe(c => c.AutoOffsetReset = AutoOffsetReset.Latest), new("facts", 0)));
    }

    [Fact]
    public async Task A_probe_that_cannot_reach_the_cluster_fails_within_its_timeout()
    {
        _cluster.CreateTopic("facts", 1);
        _cluster.SetBrokerDown(1);
        var probe = Probe(timeout: TimeSpan.FromSeconds(1));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => probe.FindAsync([new("facts", 0)], CancellationToken.None).WaitAsync(Wait));

        output.WriteLine($"{error.GetType().Name}: {error.Message} after {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_cancelled_probe_stops()
    {
        _cluster.CreateTopic("facts", 1);
        _cluster.SetBrokerDown(1);
        using var cancel = new CancellationTokenSource();
        var probing = Probe(timeout: TimeSpan.FromSeconds(30)).FindAsync([new("facts", 0)], cancel.Token);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probing.WaitAsync(Wait));
    }
}
