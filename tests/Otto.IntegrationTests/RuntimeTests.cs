using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams;
using Otto.Streams.Errors;
using Otto.Streams.SerDes;
using Otto.Streams.State;
using Otto.Streams.Stream;
using Otto.Streams.Worker.Embedded;
using static Otto.IntegrationTests.StringStreams;

namespace Otto.IntegrationTests;

/// <summary>The engine's runtime (stream thread, commits, changelog restore, topic checks) on the embedded cluster.</summary>
public class RuntimeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_table_is_restored_from_its_changelog_by_a_new_instance_and_joins_see_it()
    {
        await using var cluster = await DevCluster.StartAsync("rt", 2);
        foreach (var t in new[] { "customers", "orders", "enriched", "dlq" }) cluster.Kafka.CreateTopic(t, 2);
        Topology Build()
        {
            var builder = new StreamBuilder();
            var table = builder.Table("customers", Materialized<string, string>.As("customers").With(Strings, Strings));
            builder.Stream<string, string>("orders").Join(table, (o, c) => $"{o} for {c}").To("enriched");
            return builder.Build();
        }
        using var enriched = new TopicReader<string, string>(cluster.BootstrapServers, "enriched", Strings, Strings);

        using (var first = new KafkaStream(Build(), Config(cluster, "rt-app", deadLetterTopic: "dlq"), topicManager: cluster.TopicManager))
        {
            first.Start(); // creates the changelog topic with the sources' partition count
            using var changelog = new TopicReader<string, string>(cluster.BootstrapServers, "rt-app-customers-changelog", Strings, Strings);
            Produce(cluster, "customers", ("c1", "Alice"), ("c2", "Bob"));
            // Records of different topics are processed in arrival order: let the table fill before joining.
            await Eventually.True(() => changelog.Records.Count == 2, Wait, "the table to hold both customers");
            Produce(cluster, "orders", ("c1", "book"));
            await Eventually.True(() => enriched.Records.Count == 1, Wait, "the first join result");
            Assert.True(first.Close());
        }

        // Same application id: the new instance resumes after the committed offsets, so it knows c2 only
        // through the changelog it restores before processing.
        using var second = new KafkaStream(Build(), Config(cluster, "rt-app", deadLetterTopic: "dlq"), topicManager: cluster.TopicManager);
        second.Start();
        Produce(cluster, "orders", ("c2", "pen"));
        await Eventually.True(() => enriched.Records.Count == 2, Wait, "the join after restart");
        Assert.Equal(("c2", "pen for Bob"), enriched.Records[1]);
    }

    [Fact]
    public async Task A_poison_record_is_dead_lettered_on_the_cluster_and_its_partition_keeps_flowing()
    {
        await using var cluster = await DevCluster.StartAsync("rt", 1);
        foreach (var t in new[] { "in", "out", "dlq" }) cluster.Kafka.CreateTopic(t, 1);
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").MapValues(v => v.ToUpperInvariant()).To("out");
        using var output = new TopicReader<string, string>(cluster.BootstrapServers, "out", Strings, Strings);
        using var dlq = new TopicReader<string, byte[]>(cluster.BootstrapServers, "dlq", Strings, new ByteArraySerDes());
        using var stream = new KafkaStream(builder.Build(), Config(cluster, "poison-app", deadLetterTopic: "dlq"), topicManager: cluster.TopicManager);
        stream.Start();

        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            producer.Produce("in", new Message<byte[], byte[]> { Key = "a"u8.ToArray(), Value = "first"u8.ToArray() });
            producer.Produce("in", new Message<byte[], byte[]> { Key = "b"u8.ToArray(), Value = [0xC3, 0x28] });
            producer.Produce("in", new Message<byte[], byte[]> { Key = "c"u8.ToArray(), Value = "third"u8.ToArray() });
            producer.Flush();
        }

        await Eventually.True(() => output.Records.Count == 2 && dlq.Records.Count == 1, Wait, "output and dead letter");
        Assert.Equal([("a", "FIRST"), ("c", "THIRD")], output.Records);
        Assert.Equal("b", dlq.Records[0].Key);
        Assert.Equal(new byte[] { 0xC3, 0x28 }, dlq.Records[0].Value);
    }

    [Fact]
    public async Task Co_partitioned_sources_with_different_partition_counts_fail_at_start_naming_the_topics()
    {
        await using var cluster = await DevCluster.StartAsync("rt", 1);
        cluster.Kafka.CreateTopic("left", 2);
        cluster.Kafka.CreateTopic("right", 3);
        var builder = new StreamBuilder();
        var table = builder.Table("right", Materialized<string, string>.As("right").With(Strings, Strings));
        builder.Stream<string, string>("left").Join(table, (a, b) => a + b).To("out");
        using var stream = new KafkaStream(builder.Build(), Config(cluster, "copart", deadLetterTopic: "dlq"), topicManager: cluster.TopicManager);

        var error = Assert.Throws<TopologyException>(stream.Start);
        Assert.Contains("left has 2", error.Message);
        Assert.Contains("right has 3", error.Message);
    }

    [Fact]
    public async Task A_missing_source_topic_fails_at_start_with_its_name()
    {
        await using var cluster = await DevCluster.StartAsync("rt", 1);
        var builder = new StreamBuilder();
        builder.Stream<string, string>("nowhere").To("out");
        using var stream = new KafkaStream(builder.Build(), Config(cluster, "missing", deadLetterTopic: "dlq"), topicManager: cluster.TopicManager);

        var error = Assert.Throws<StreamsException>(stream.Start);
        Assert.Contains("nowhere", error.Message);
    }
}
