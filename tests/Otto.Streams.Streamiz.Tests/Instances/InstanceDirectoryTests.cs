using System.Text;
using Confluent.Kafka;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.Instances;
using Streamiz.Kafka.Net;

namespace Otto.Streams.Streamiz.Tests.Instances;

/// <summary>The instance directory read and written on the embedded cluster, without streams: entries, their expiry,
/// tombstones, bad entries, and which instance owns a key.</summary>
public sealed class InstanceDirectoryTests : IDisposable
{
    private const string App = "dir-app";
    private const string Topic = "dir-in";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly IProducer<string, string?> _producer;

    public InstanceDirectoryTests()
    {
        _cluster.CreateTopic(InstanceDirectory.TopicFor(App), 1);
        _cluster.CreateTopic(Topic, 4);
        _producer = new ProducerBuilder<string, string?>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
    }

    public void Dispose()
    {
        _producer.Dispose();
        _cluster.Dispose();
    }

    private InstanceDirectory Directory(string url) =>
        new(new StreamConfig { ApplicationId = App, BootstrapServers = _cluster.BootstrapServers }, new Uri(url), time: _clock);

    // Another instance's record as the directory writes it: key its URL, value its entry, timestamped by its clock.
    private void Publish(string url, string? value, DateTimeOffset? at = null) =>
        _producer.Produce(new TopicPartition(InstanceDirectory.TopicFor(App), 0),
            new Message<string, string?> { Key = url, Value = value, Timestamp = new Timestamp(at ?? _clock.GetUtcNow()) });

    private static string Entry(string url, params int[] partitions) =>
        $$"""{"url":"{{url}}","expiresAfterMs":30000,"partitions":[{{string.Join(",", partitions.Select(p => $$"""{"topic":"{{Topic}}","partition":{{p}}}"""))}}]}""";

    // A key murmur2 places in partition p of the 4.
    private static string KeyIn(int partition) =>
        Enumerable.Range(0, 1000).Select(i => $"k{i}").First(k => KeyPartitioner.PartitionFor(Partitioner.Murmur2Random, Encoding.UTF8.GetBytes(k), 4) == partition);

    [Fact]
    public async Task Entries_expire_unless_refreshed_tombstones_withdraw_at_once_and_bad_entries_are_skipped()
    {
        using var directory = Directory("http://self:1/");
        directory.Start();
        IEnumerable<string> Others() => directory.Others().Select(e => e.Url.ToString());

        // An entry under its own URL (left by an earlier run of this instance) is not another instance; read
        // before the next one, so once that one is seen, it has been skipped.
        Publish("http://self:1/", Entry("http://self:1/", 3));
        Publish("http://ghost:1/", Entry("http://ghost:1/", 1, 2));
        await Eventually.True(() => Others().SequenceEqual(["http://ghost:1/"]), Wait, "another instance's entry");
        Assert.Equal([new TopicPartition(Topic, 1), new TopicPartition(Topic, 2)], directory.Others().Single().Partitions);

        // Not refreshed within its expiry (a crash leaves no tombstone): gone, without any new record.
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Single(directory.Others());
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(directory.Others());

        // Entries that cannot be read are skipped and the directory goes on; a tombstone withdraws at once.
        Publish("http://broken:1/", "{not json");
        Publish("http://no-url:1/", """{"expiresAfterMs":30000,"partitions":[]}""");
        Publish("http://next:2/", Entry("http://next:2/", 0));
        await Eventually.True(() => Others().SequenceEqual(["http://next:2/"]), Wait, "the entry after the bad ones");
        Publish("http://next:2/", null);
        await Eventually.True(() => !Others().Any(), Wait, "the tombstone to withdraw it");
    }

    [Fact]
    public async Task A_key_is_owned_by_the_newest_claim_of_its_partition_and_nobody_owns_an_unclaimed_one()
    {
        using var directory = Directory("http://self:1/");
        directory.Start();
        var now = _clock.GetUtcNow();
        // During a rebalance the former owner's entry may still claim a partition the new owner claims too.
        Publish("http://old:1/", Entry("http://old:1/", 1, 2), now - TimeSpan.FromSeconds(5));
        Publish("http://new:1/", Entry("http://new:1/", 2, 3), now);
        await Eventually.True(() => directory.Others().Count == 2, Wait, "both entries");

        Assert.Equal(4, directory.PartitionCount(Topic));
        KeyLocation Locate(int partition) => directory.Locate(Topic, Encoding.UTF8.GetBytes(KeyIn(partition)), Partitioner.Murmur2Random);
        Assert.Equal(new KeyLocation(0, false, null), Locate(0));
        Assert.Equal(new KeyLocation(1, false, new Uri("http://old:1/")), Locate(1));
        Assert.Equal(new KeyLocation(2, false, new Uri("http://new:1/")), Locate(2));
        Assert.Equal(new KeyLocation(3, false, new Uri("http://new:1/")), Locate(3));

        // Without a stream to track, this instance holds nothing.
        Assert.Empty(directory.LocalPartitions);
        Assert.Throws<KafkaException>(() => directory.PartitionCount("no-such-topic"));
    }

    [Fact]
    public async Task Its_own_entry_is_published_at_start_on_every_heartbeat_and_withdrawn_on_dispose()
    {
        using var reader = Directory("http://reader:1/");
        reader.Start();
        var directory = Directory("http://self:1/");
        directory.Start();
        await Eventually.True(() => reader.Others().Any(e => e.Url == new Uri("http://self:1/")), Wait, "the entry published at start");
        var first = reader.Others().Single(e => e.Url == new Uri("http://self:1/"));
        Assert.Equal(TimeSpan.FromSeconds(30), first.ExpiresAfter);
        Assert.Empty(first.Partitions);

        // A heartbeat later it is published again (newer timestamp), so it never expires while the instance lives.
        _clock.Advance(InstanceDirectory.DefaultHeartbeat);
        await Eventually.True(() => reader.Others().Any(e => e.Url == new Uri("http://self:1/") && e.PublishedAt > first.PublishedAt), Wait, "a heartbeat");

        directory.Dispose();
        await Eventually.True(() => reader.Others().All(e => e.Url != new Uri("http://self:1/")), Wait, "the tombstone");
    }
}
