using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.SerDes;
using Otto.Streams.Stream;
using Otto.Streams.Worker.Embedded;
using static Otto.IntegrationTests.StringStreams;

namespace Otto.IntegrationTests;

/// <summary>DSL features that need the runtime: automatic repartition topics and global tables, on the embedded cluster.</summary>
public class DslOnClusterTests
{
    private static readonly Int64SerDes Longs = new();
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GroupBy_creates_its_repartition_topic_at_start_and_counts_through_it()
    {
        await using var cluster = await DevCluster.StartAsync("dsl", 3);
        foreach (var t in new[] { "sentences", "word-counts" }) cluster.Kafka.CreateTopic(t, 3);
        var builder = new StreamBuilder();
        builder.Stream<string, string>("sentences").FlatMapValues(s => s.Split(' '))
            .GroupBy((_, word) => word).Count(Materialized<string, long>.As("counts"))
            .ToStream().To("word-counts", valueSerDes: Longs);
        using var stream = new KafkaStream(builder.Build(), Config(cluster, "wc"), topicManager: cluster.TopicManager);

        stream.Start();
        var created = cluster.TopicManager.GetPartitionCounts(["wc-counts-repartition", "wc-counts-changelog"]);
        Assert.Equal(3, created["wc-counts-repartition"]);
        Assert.Equal(3, created["wc-counts-changelog"]);

        using var repartitioned = new TopicReader<string, string>(cluster.BootstrapServers, "wc-counts-repartition", Strings, Strings);
        using var counts = new TopicReader<string, long>(cluster.BootstrapServers, "word-counts", Strings, Longs);
        Produce(cluster, "sentences", ("s1", "cat dog"), ("s2", "cat"), ("s3", "cat bird"));

        await Eventually.True(() => counts.Records.Count == 5, Wait, "five count updates");
        Assert.Equal(3L, counts.Records.Where(r => r.Key == "cat").Max(r => r.Value));
        Assert.Equal(1L, counts.Records.Single(r => r.Key == "dog").Value);
        await Eventually.True(() => repartitioned.Records.Count == 5, Wait, "the words in the repartition topic");
        Assert.Equal(["bird", "cat", "cat", "cat", "dog"], repartitioned.Records.Select(r => r.Key).Order());
        Assert.True(stream.Close());
    }

    [Fact]
    public async Task A_global_table_is_loaded_from_every_partition_before_processing_starts()
    {
        await using var cluster = await DevCluster.StartAsync("dsl", 2);
        cluster.Kafka.CreateTopic("countries", 3);
        foreach (var t in new[] { "payments", "enriched" }) cluster.Kafka.CreateTopic(t, 2);
        Produce(cluster, "countries", ("NO", "Norway"), ("SE", "Sweden"), ("DK", "Denmark"));
        Produce(cluster, "payments", ("p1", "NO"), ("p2", "SE"), ("p3", "DK"));
        var builder = new StreamBuilder();
        var countries = builder.GlobalTable("countries", Materialized<string, string>.As("countries"));
        builder.Stream<string, string>("payments").Join(countries, (_, code) => code, (code, name) => $"{code}={name}").To("enriched");
        using var enriched = new TopicReader<string, string>(cluster.BootstrapServers, "enriched", Strings, Strings);
        using var stream = new KafkaStream(builder.Build(), Config(cluster, "global"), topicManager: cluster.TopicManager);

        stream.Start();
        await Eventually.True(() => enriched.Records.Count == 3, Wait, "every payment joined");
        Assert.Equal(["DK=Denmark", "NO=Norway", "SE=Sweden"], enriched.Records.Select(r => r.Value).Order());

        Produce(cluster, "countries", ("FI", "Finland"));
        await Eventually.True(() =>
        {
            Produce(cluster, "payments", ("p4", "FI"));
            return enriched.Records.Any(r => r.Value == "FI=Finland");
        }, Wait, "a country added after start to be joined");
        Assert.True(stream.Close());
    }
}
