using System.Text;
using Confluent.Kafka;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.Instances;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace Otto.Streams.Streamiz.Tests.Instances;

/// <summary>Two Streamiz KafkaStream instances of one application, each with its directory tracking its stream
/// threads' rebalances: they split a table's partitions, learn each other's, agree on which instance holds each key
/// (and that instance's local store has it), and the survivor takes everything over when the other leaves.</summary>
public sealed class TwoInstancesTests : IDisposable
{
    private const string App = "two-app";
    private const string Topic = "two-in";
    private const string Store = "latest";
    private const int Partitions = 4;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();
    private readonly string _stateDir = System.IO.Directory.CreateTempSubdirectory("otto-two-").FullName;

    public TwoInstancesTests()
    {
        _cluster.CreateTopic(Topic, Partitions);
        // Streamiz's admin client cannot create its changelog on the mock cluster, nor the directory its topic.
        _cluster.CreateTopic($"{App}-{Store}-changelog", Partitions);
        _cluster.CreateTopic(InstanceDirectory.TopicFor(App), 1);
    }

    public void Dispose()
    {
        _cluster.Dispose();
        try { System.IO.Directory.Delete(_stateDir, recursive: true); }
        catch (IOException) { } // a store still closing; the temp directory is the OS's to clean
    }

    private sealed class Instance(KafkaStream stream, InstanceDirectory directory, Uri url) : IDisposable
    {
        private volatile KafkaStream.State _state = KafkaStream.State.CREATED;
        public KafkaStream Stream { get; } = stream;
        public InstanceDirectory Directory { get; } = directory;
        public Uri Url { get; } = url;
        public bool Running => _state == KafkaStream.State.RUNNING;
        public void Watch() => Stream.StateChanged += (_, now) => _state = now;

        public IReadOnlyKeyValueStore<string, string> Latest() =>
            Stream.Store(StoreQueryParameters.FromNameAndType(Store, QueryableStoreTypes.KeyValueStore<string, string>()));

        public IEnumerable<int> Held() => Directory.LocalPartitions.Where(p => p.Topic == Topic).Select(p => p.Partition.Value).Order();

        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            // Withdrawn first, so the others stop routing here before the stream closes its stores.
            Directory.Dispose();
            Stream.Dispose();
        }
    }

    private async Task<Instance> StartAsync(string name)
    {
        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = App,
            BootstrapServers = _cluster.BootstrapServers,
            StateDir = Path.Combine(_stateDir, name),
            CommitIntervalMs = 100,
        };
        // The mock's coordinator waits a full session timeout for a member that left (DESIGN.md).
        config.AddConfig("main.consumer.session.timeout.ms", "6000");
        config.AddConfig("main.consumer.heartbeat.interval.ms", "1000");
        var builder = new StreamBuilder();
        builder.Table(Topic, RocksDb.As<string, string>(Store));
        var url = new Uri($"http://{name}:7000/");
        var directory = new InstanceDirectory(config, url);
        var stream = new KafkaStream(builder.Build(), config, directory.Track(new DefaultKafkaClientSupplier(new KafkaLoggerAdapter(config), config)));
        var instance = new Instance(stream, directory, url);
        instance.Watch();
        directory.Start(stream);
        await stream.StartAsync();
        return instance;
    }

    private void Produce(IEnumerable<string> keys)
    {
        // Murmur2, as Streamiz's own producers and the Java clients place keys (librdkafka's default would not).
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random,
        }).Build();
        foreach (var key in keys) producer.Produce(Topic, new Message<string, string> { Key = key, Value = "v-" + key });
        producer.Flush(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Two_instances_split_the_partitions_agree_on_each_keys_owner_and_the_survivor_takes_over()
    {
        using var a = await StartAsync("a");
        var b = await StartAsync("b");
        try
        {
            var both = new[] { a, b };
            // Settled: each runs, holds some partitions, together all of them once, and each sees the other's claim.
            bool Settled() => both.All(i => i.Running && i.Held().Any()) &&
                              a.Held().Concat(b.Held()).Order().SequenceEqual(Enumerable.Range(0, Partitions)) &&
                              both.All(i => i.Directory.Others().SingleOrDefault() is { } other &&
                                            other.Partitions.Where(p => p.Topic == Topic).Select(p => p.Partition.Value).Order()
                                                .SequenceEqual((i == a ? b : a).Held()));
            await Eventually.True(Settled, Wait, "two running instances that know each other's partitions");

            var keys = Enumerable.Range(0, 24).Select(i => $"k{i}").ToList();
            Produce(keys);
            await Eventually.True(() => keys.All(k => a.Latest().Get(k) is not null || b.Latest().Get(k) is not null), Wait, "every key in one store");

            foreach (var key in keys)
            {
                var bytes = Encoding.UTF8.GetBytes(key);
                var fromA = a.Directory.Locate(Topic, bytes, Partitioner.Murmur2Random);
                var fromB = b.Directory.Locate(Topic, bytes, Partitioner.Murmur2Random);
                Assert.Equal(fromA.Partition, fromB.Partition);
                Assert.NotEqual(fromA.IsLocal, fromB.IsLocal);
                var (owner, other) = fromA.IsLocal ? (a, b) : (b, a);
                Assert.Equal(owner.Url, (fromA.IsLocal ? fromB : fromA).Owner);
                Assert.Equal("v-" + key, owner.Latest().Get(key));
                Assert.Null(other.Latest().Get(key));
            }
            // Keys on both sides, so the test proves routing and not a lucky assignment.
            Assert.Equal(2, keys.Select(k => a.Directory.Locate(Topic, Encoding.UTF8.GetBytes(k), Partitioner.Murmur2Random).IsLocal).Distinct().Count());

            // b leaves: its tombstone withdraws it at once, and after the rebalance a holds every partition.
            b.Dispose();
            await Eventually.True(() => a.Directory.Others().Count == 0, Wait, "the tombstone of the instance that left");
            // Streamiz says RUNNING while the tasks taken over still restore their stores (their reads may miss
            // records): only once the directory has seen every restoration end is the store complete.
            await Eventually.True(() => a.Running && a.Held().SequenceEqual(Enumerable.Range(0, Partitions)) && a.Directory.Restoring(Store, Topic).Count == 0,
                Wait, "the survivor holding every partition, restored");
            Assert.All(keys, k => Assert.True(a.Directory.Locate(Topic, Encoding.UTF8.GetBytes(k), Partitioner.Murmur2Random).IsLocal));
            Assert.All(keys, k => Assert.Equal("v-" + k, a.Latest().Get(k)));
        }
        finally
        {
            b.Dispose();
        }
    }
}
