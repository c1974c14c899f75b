using Confluent.Kafka;
using Otto.Streams.State.RocksDb;
using Otto.Streams.Worker.Embedded;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>What the embedded-cluster tests check: changelog ends, store-versus-changelog equality, waiting.</summary>
internal static class ClusterChecks
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public static long ChangelogEnd(DevCluster cluster, string changelog)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "probe" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(changelog, 0), TimeSpan.FromSeconds(10)).High.Value;
    }

    /// <summary>The RocksDB store "kv" in <paramref name="taskDirectory"/> holds exactly the latest value per key
    /// of partition 0 of <paramref name="changelog"/>; returns the number of keys.</summary>
    public static int AssertStoreEqualsChangelog(DevCluster cluster, string taskDirectory, string changelog)
    {
        var expected = new Dictionary<string, string>();
        using (var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
               {
                   BootstrapServers = cluster.BootstrapServers, GroupId = "check", EnablePartitionEof = true, AutoOffsetReset = AutoOffsetReset.Earliest,
               }).Build())
        {
            consumer.Assign(new TopicPartitionOffset(changelog, 0, Offset.Beginning));
            while (consumer.Consume(Wait) is { IsPartitionEOF: false } record)
                if (record.Message.Value is null) expected.Remove(record.Message.Key);
                else expected[record.Message.Key] = record.Message.Value;
        }
        using var memory = new RocksDbMemory(1L << 20, 1L << 20);
        using var store = new RocksDbKeyValueStore("kv", memory);
        store.Init(new TestStoreContext(taskDirectory, memory));
        using var all = store.All();
        var actual = all.ToDictionary(kv => System.Text.Encoding.UTF8.GetString(kv.Key.Data), kv => System.Text.Encoding.UTF8.GetString(kv.Value));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        return actual.Count;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; the cluster is asynchronous, so tests wait for facts.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {Wait.TotalSeconds} s waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
