using Confluent.Kafka;
using Otto.Streams.Runtime;
using Otto.Streams.SerDes;
using Otto.Streams.Stream;
using Otto.Streams.Worker.Embedded;
using Xunit.Abstractions;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>
/// Restarts of a RocksDB-backed table on the embedded cluster: with a valid checkpoint only the changelog's
/// tail is replayed; without one (missing, corrupt, beyond the log's end, or a store RocksDB cannot open)
/// the store is wiped and the whole changelog replayed. After every start the store on disk equals the
/// changelog (latest value per key).
/// </summary>
public sealed class RestartRestoreTests(ITestOutputHelper output)
{
    private const string App = "restart-app";
    private const string Changelog = App + "-kv-changelog";
    private static readonly StringSerDes Strings = new();

    [Fact]
    public async Task A_checkpoint_limits_restoration_to_the_tail_and_without_a_valid_one_the_whole_changelog_is_replayed()
    {
        await using var cluster = await DevCluster.StartAsync("restart", 1);
        cluster.Kafka.CreateTopic("in", 1);
        using var home = new TempDirectory();   // the instance under test
        using var other = new TempDirectory();  // another machine that takes the task over for a while
        using var restored = CounterTotals.RestoredRecords();
        var taskDirectory = Path.Combine(home.Path, App, "0_0");
        var checkpoint = Path.Combine(taskDirectory, OffsetCheckpoint.FileName);

        // 1. First start: nothing to restore; 200 updates of 50 keys; a clean close checkpoints offset 200.
        Assert.Equal(0, await RunAsync(cluster, home, restored, () => Produce(cluster, 0, 200), changelogEnd: 200));
        Assert.Equal($"0\n1\n{Changelog} 0 200\n", File.ReadAllText(checkpoint));

        // 2. Another instance without local state restores all 200, then processes 50 more.
        Assert.Equal(200, await RunAsync(cluster, other, restored, () => Produce(cluster, 200, 50), changelogEnd: 250));

        // 3. Back home: the checkpoint says 200, so only the 50-record tail is replayed.
        Assert.Equal(50, await RunAsync(cluster, home, restored));
        Assert.Equal(50, ClusterChecks.AssertStoreEqualsChangelog(cluster, taskDirectory, Changelog));

        // 4. No checkpoint (as after a crash under exactly-once): wiped, all 250 replayed.
        File.Delete(checkpoint);
        Assert.Equal(250, await RunAsync(cluster, home, restored));
        Assert.Equal(50, ClusterChecks.AssertStoreEqualsChangelog(cluster, taskDirectory, Changelog));

        // 5. A corrupt checkpoint: ignored, so wiped and all replayed, no crash.
        File.WriteAllText(checkpoint, "\u0000garbage");
        Assert.Equal(250, await RunAsync(cluster, home, restored));
        Assert.Equal(50, ClusterChecks.AssertStoreEqualsChangelog(cluster, taskDirectory, Changelog));

        // 6. A valid checkpoint but a store directory RocksDB cannot open: wiped, all replayed, no crash.
        Assert.True(File.Exists(checkpoint));
        File.WriteAllText(Path.Combine(taskDirectory, "kv", "CURRENT"), "not a manifest");
        Assert.Equal(250, await RunAsync(cluster, home, restored));
        Assert.Equal(50, ClusterChecks.AssertStoreEqualsChangelog(cluster, taskDirectory, Changelog));

        // 7. A checkpoint beyond the changelog's end (state of another cluster): wiped, all replayed.
        File.WriteAllText(checkpoint, $"0\n1\n{Changelog} 0 9999\n");
        Assert.Equal(250, await RunAsync(cluster, home, restored));
        Assert.Equal(50, ClusterChecks.AssertStoreEqualsChangelog(cluster, taskDirectory, Changelog));
    }

    [Fact]
    public async Task A_task_whose_directory_another_instance_holds_waits_until_it_is_released()
    {
        await using var cluster = await DevCluster.StartAsync("locked", 1);
        cluster.Kafka.CreateTopic("in", 1);
        using var state = new TempDirectory();
        var held = new StateDirectory(state.Path, App).TryLock(new TaskId(0, 0)); // e.g. an instance still closing
        Assert.NotNull(held);
        var logs = new TestOutputLogger(output);
        using var stream = Start(cluster, state, logs);
        Produce(cluster, 0, 10);

        await ClusterChecks.Until(() => logs.Logged("task 0_0 is locked by another instance or thread"), "the wait to be logged");
        Assert.NotEqual(KafkaStreamState.Running, stream.State);
        Assert.Equal(0, ClusterChecks.ChangelogEnd(cluster, Changelog)); // nothing processed while locked out

        held.Dispose();
        await ClusterChecks.Until(() => stream.State == KafkaStreamState.Running, "the instance to take the task");
        await ClusterChecks.Until(() => ClusterChecks.ChangelogEnd(cluster, Changelog) == 10, "the records to be processed");
        Assert.True(stream.Close());
        Assert.Null(stream.FatalError);
    }

    [Fact]
    public async Task Under_exactly_once_the_checkpoint_exists_only_between_a_clean_close_and_the_next_open()
    {
        await using var cluster = await DevCluster.StartAsync("eos", 1);
        cluster.Kafka.CreateTopic("in", 1);
        using var state = new TempDirectory();
        using var restored = CounterTotals.RestoredRecords();
        using var commits = new CounterTotals("otto.streams.commits", "thread");
        var checkpoint = Path.Combine(state.Path, App, "0_0", OffsetCheckpoint.FileName);
        var logs = new TestOutputLogger(output);

        using (var stream = Start(cluster, state, logs, ProcessingGuarantee.ExactlyOnceV2))
        {
            await ClusterChecks.Until(() => stream.State == KafkaStreamState.Running, "the instance to run");
            Produce(cluster, 0, 20);
            await ClusterChecks.Until(() => ClusterChecks.ChangelogEnd(cluster, Changelog) >= 20, "the records to be processed");
            var committed = commits.Of(App + "-StreamThread-1");
            await ClusterChecks.Until(() => commits.Of(App + "-StreamThread-1") >= committed + 2, "two more commits");
            Assert.False(File.Exists(checkpoint)); // commits do not checkpoint under exactly-once
            Assert.True(stream.Close());
        }
        Assert.True(File.Exists(checkpoint)); // clean close

        using (var stream = Start(cluster, state, logs, ProcessingGuarantee.ExactlyOnceV2))
        {
            await ClusterChecks.Until(() => stream.State == KafkaStreamState.Running, "the instance to run again");
            // Opened from the checkpoint (nothing replayed), which is deleted at once: a crash from here on
            // leaves no checkpoint, so the next start wipes and restores everything.
            Assert.Equal(0, restored.Of(Changelog));
            Assert.False(File.Exists(checkpoint));
            Assert.True(stream.Close());
        }
    }

    private static KafkaStream Start(DevCluster cluster, TempDirectory stateDir, TestOutputLogger logs,
        ProcessingGuarantee guarantee = ProcessingGuarantee.AtLeastOnce)
    {
        var builder = new StreamBuilder();
        builder.Table("in", Materialized<string, string>.As("kv").With(Strings, Strings));
        var stream = new KafkaStream(builder.Build(), new StreamConfig
        {
            ApplicationId = App,
            BootstrapServers = cluster.BootstrapServers,
            ClientProperties = DevCluster.ClientProperties,
            CommitInterval = TimeSpan.FromMilliseconds(100),
            StateDir = stateDir.Path,
            Guarantee = guarantee,
        }, loggers: logs.Factory(), topicManager: cluster.TopicManager);
        stream.Start();
        return stream;
    }

    /// <summary>Starts an instance on <paramref name="stateDir"/>, waits until it runs (restored), runs
    /// <paramref name="work"/> and waits for the changelog to reach <paramref name="changelogEnd"/>, closes it
    /// cleanly; returns how many changelog records it restored.</summary>
    private async Task<long> RunAsync(DevCluster cluster, TempDirectory stateDir, CounterTotals restored, Action? work = null, long? changelogEnd = null)
    {
        var before = restored.Of(Changelog);
        using (var stream = Start(cluster, stateDir, new TestOutputLogger(output)))
        {
            await ClusterChecks.Until(() => stream.State == KafkaStreamState.Running, "the instance to restore and run");
            work?.Invoke();
            if (changelogEnd is { } end) await ClusterChecks.Until(() => ClusterChecks.ChangelogEnd(cluster, Changelog) == end, $"the changelog to reach {end}");
            Assert.True(stream.Close());
            Assert.Null(stream.FatalError);
        }
        var count = restored.Of(Changelog) - before;
        output.WriteLine($"{stateDir.Path}: restored {count}");
        return count;
    }

    private static void Produce(DevCluster cluster, int from, int count)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        for (var i = from; i < from + count; i++) producer.Produce("in", new Message<string, string> { Key = $"k{i % 50}", Value = $"v{i}" });
        producer.Flush();
    }
}
