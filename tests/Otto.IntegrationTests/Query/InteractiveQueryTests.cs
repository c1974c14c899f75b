using Confluent.Kafka;
using Otto.IntegrationTests.InMemory;
using Otto.Streams;
using Otto.Streams.Errors;
using Otto.Streams.Query;
using Otto.Streams.State;
using Otto.Streams.Stream;
using Otto.Streams.Worker.Embedded;
using static Otto.IntegrationTests.StringStreams;

namespace Otto.IntegrationTests.Query;

/// <summary>Interactive queries in the engine: two instances of one application on the embedded cluster, each
/// holding half of a table's partitions, find each other through the instances topic and agree on which one
/// holds a key; each answers only for its own partitions.</summary>
public class InteractiveQueryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private const string Store = "latest";

    private static Topology Build()
    {
        var builder = new StreamBuilder();
        builder.Table("iq-in", Materialized<string, string>.As(Store).With(Strings, Strings));
        return builder.Build();
    }

    private static StreamConfig Config(DevCluster cluster, string server, string app = "iq-app") => new()
    {
        ApplicationId = app,
        BootstrapServers = cluster.BootstrapServers,
        DefaultKeySerDes = Strings,
        DefaultValueSerDes = Strings,
        CommitInterval = TimeSpan.FromMilliseconds(100),
        ClientProperties = DevCluster.ClientProperties,
        StateDir = Path.Combine(cluster.StateDir, server.Replace(':', '-')),
        ApplicationServer = server,
    };

    private static IReadOnlyKeyValueStore<string, string> Latest(KafkaStream stream) =>
        stream.Store(StoreQueryParameters.FromNameAndType(Store, QueryableStoreTypes.KeyValueStore<string, string>()));

    [Fact]
    public async Task Two_instances_agree_on_the_owner_of_each_key_and_each_answers_for_its_own_partitions()
    {
        await using var cluster = await DevCluster.StartAsync("iq", 1);
        cluster.Kafka.CreateTopic("iq-in", 4);
        using var a = new KafkaStream(Build(), Config(cluster, "host-a:7001"), topicManager: cluster.TopicManager);
        using var b = new KafkaStream(Build(), Config(cluster, "host-b:7002"), topicManager: cluster.TopicManager);

        var before = Assert.Throws<InvalidStateStoreException>(() => Latest(a));
        Assert.Equal(KafkaStreamState.Created, before.StreamState);
        a.Start();
        b.Start();
        var keys = Enumerable.Range(0, 24).Select(i => $"k{i}").ToList();
        Produce(cluster, "iq-in", keys.Select(k => (k, "v-" + k)).ToArray());

        // Both running, each sees the other, and between them they hold every partition once.
        bool Settled(KafkaStream s)
        {
            var all = s.AllMetadata();
            return s.State == KafkaStreamState.Running && all.Count == 2 &&
                   all.SelectMany(m => m.TopicPartitions).Select(p => p.Partition.Value).Order().SequenceEqual([0, 1, 2, 3]);
        }
        await Eventually.True(() => Settled(a) && Settled(b), Wait, "two running instances that know each other's partitions");
        await Eventually.True(() => keys.All(k => Latest(a).Get(k) is not null || Latest(b).Get(k) is not null), Wait, "every key in one store");

        var hosts = new Dictionary<string, KafkaStream> { ["host-a:7001"] = a, ["host-b:7002"] = b };
        foreach (var key in keys)
        {
            var fromA = a.QueryMetadataForKey(Store, key, Strings);
            var fromB = b.QueryMetadataForKey(Store, key, Strings);
            Assert.Equal(fromA.ActiveHost, fromB.ActiveHost);
            Assert.Equal(fromA.Partition, fromB.Partition);
            Assert.NotEqual(fromA.IsLocal, fromB.IsLocal);
            var owner = hosts[fromA.ActiveHost.ToString()];
            var other = owner == a ? b : a;
            Assert.Equal("v-" + key, Latest(owner).Get(key));
            Assert.Null(Latest(other).Get(key));
        }
        // Keys on both sides, so the test proves routing and not a lucky assignment.
        Assert.Equal(2, keys.Select(k => a.QueryMetadataForKey(Store, k, Strings).ActiveHost).Distinct().Count());

        // Scans and counts cover exactly the local partitions.
        using (var all = Latest(a).All())
        using (var allB = Latest(b).All())
            Assert.Equal(keys.Order(), all.Concat(allB).Select(kv => kv.Key).Order());
        // RocksDB's estimate counts every write still in the memtable, so a key rewritten while records were
        // reprocessed after the rebalances counts more than once: only the lower bound is certain.
        Assert.True(Latest(a).ApproximateNumEntries() + Latest(b).ApproximateNumEntries() >= keys.Count);
        Assert.Equal(["host-a:7001", "host-b:7002"], a.AllMetadataForStore(Store).Select(m => m.HostInfo.ToString()).Order());
        Assert.Empty(a.AllMetadataForStore("nope"));

        var unknown = Assert.Throws<InvalidStateStoreException>(() => a.Store(StoreQueryParameters.FromNameAndType("nope", QueryableStoreTypes.KeyValueStore<string, string>())));
        Assert.True(unknown.UnknownStore);
        var wrongType = Assert.Throws<InvalidStateStoreException>(() => a.Store(StoreQueryParameters.FromNameAndType(Store, QueryableStoreTypes.KeyValueStore<string, long>())));
        Assert.True(wrongType.UnknownStore);

        // A closed instance withdraws: the survivor forgets it at once (tombstone), not after the expiry.
        var view = Latest(b);
        Assert.True(b.Close());
        Assert.Throws<InvalidStateStoreException>(() => view.Get(keys[0]));
        await Eventually.True(() => a.AllMetadata().Count == 1, Wait, "the closed instance to be withdrawn");
    }

    [Fact]
    public async Task Entries_expire_unless_refreshed_tombstones_withdraw_at_once_and_bad_entries_are_skipped()
    {
        await using var cluster = await DevCluster.StartAsync("iq", 1);
        cluster.Kafka.CreateTopic("iq-in", 2);
        var clock = new ManualClock();
        using var stream = new KafkaStream(Build(), Config(cluster, "host-a:7001", app: "iq-dir"), topicManager: cluster.TopicManager, time: clock);
        stream.Start();
        await Eventually.True(() => stream.State == KafkaStreamState.Running, Wait, "the stream running");
        var topic = KafkaStream.InstancesTopicFor("iq-dir");
        using var producer = new ProducerBuilder<string, string?>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        void Publish(string processId, string? value) =>
            producer.Produce(new TopicPartition(topic, 0), new Message<string, string?> { Key = processId, Value = value, Timestamp = new Timestamp(clock.GetUtcNow()) });
        // The published format: the application server, how long the entry lives, the assigned partitions.
        static string Entry(string server) => "{\"server\":\"" + server + "\",\"expiresAfterMs\":30000,\"partitions\":[{\"topic\":\"iq-in\",\"partition\":1}]}";
        IEnumerable<string> Others() => stream.AllMetadata().Where(m => !m.IsLocal).Select(m => m.HostInfo.ToString());

        Publish("ghost", Entry("ghost:1"));
        await Eventually.True(() => Others().SequenceEqual(["ghost:1"]), Wait, "another instance's entry");
        Assert.Equal(["iq-in"], stream.AllMetadata().Single(m => !m.IsLocal).TopicPartitions.Select(p => p.Topic));

        // Not refreshed within its expiry (a crash leaves no tombstone): gone, without any new record.
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Empty(Others());

        // Entries that cannot be read are skipped and the directory goes on; a tombstone withdraws at once.
        Publish("broken", "{not json");
        Publish("bad-server", Entry("no-port"));
        Publish("next", Entry("next:2"));
        await Eventually.True(() => Others().SequenceEqual(["next:2"]), Wait, "the entry after the bad ones");
        Publish("next", null);
        await Eventually.True(() => !Others().Any(), Wait, "the tombstone to withdraw it");
    }
}
