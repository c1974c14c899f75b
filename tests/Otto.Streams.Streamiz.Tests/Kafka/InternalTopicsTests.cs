using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;
using Xunit.Abstractions;

namespace Otto.Streams.Streamiz.Tests.Kafka;

public sealed class InternalTopicsTests(ITestOutputHelper output) : IDisposable
{
    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();
    private readonly string _stateDir = Directory.CreateTempSubdirectory("otto-streamiz-").FullName;
    private readonly TestOutputLogger _log = new(output);

    public void Dispose()
    {
        _cluster.Dispose();
        Directory.Delete(_stateDir, recursive: true);
    }

    [Fact]
    public void A_topology_with_a_repartition_and_a_RocksDB_store_starts_in_seconds_and_counts_end_to_end()
    {
        const string app = "counting";
        _cluster.CreateTopic("words", 3);
        _cluster.CreateTopic("counts", 1);
        using (var producer = EmbeddedStreams.Producer(_cluster))
        {
            for (var i = 0; i < 30; i++)
            {
                EmbeddedStreams.Produce(producer, "words", $"line-{i}", EmbeddedStreams.Utf8("abc"[i % 3].ToString()));
            }

            producer.Flush();
        }

        // Re-keyed by word, through a named repartition topic with 2 partitions, counted in a RocksDB store whose
        // changelog Streamiz sizes from its sub-topology's source: the repartition topic.
        var builder = new StreamBuilder();
        builder.Stream<string, string>("words")
            .SelectKey((_, word, _) => word)
            .Repartition(Repartitioned<string, string>.Create<StringSerDes, StringSerDes>().WithName("by-word").WithNumberOfPartitions(2))
            .GroupByKey()
            .Count(RocksDb.As<string, long>("word-counts").WithValueSerdes<Int64SerDes>())
            .ToStream()
            .MapValues((count, _) => count.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .To("counts");
        var config = EmbeddedStreams.Config(_cluster, app, _log, _stateDir);
        var supplier = new OttoKafkaSupplier(config, _cluster);
        using var stream = new KafkaStream(builder.Build(), config, supplier);
        using var counts = new EmbeddedStreams.TopicReader(_cluster, "counts", 1);

        var clock = Stopwatch.StartNew();
        // Without the embedded admin client Streamiz waits ~10 minutes for CreateTopics here.
        EmbeddedStreams.StartAndWaitRunning(stream, TimeSpan.FromSeconds(20));
        output.WriteLine($"RUNNING after {clock.Elapsed.TotalSeconds:0.0}s");

        Dictionary<string, string> Latest() => counts.Records
            .GroupBy(r => Encoding.UTF8.GetString(r.Message.Key))
            .ToDictionary(g => g.Key, g => Encoding.UTF8.GetString(g.Last().Message.Value));
        Eventually.Blocking(() => Latest() is { Count: 3 } l && l.Values.All(v => v == "10"), Eventually.DefaultTimeout, "10 of each word counted");
        output.WriteLine($"counted after {clock.Elapsed.TotalSeconds:0.0}s");
        // The records kept for dead letters are let go at the commits that follow.
        Eventually.Blocking(() => supplier.ConsumedRecordsHeld == 0, Eventually.DefaultTimeout, "no consumed record held once everything is committed");

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        var topics = admin.GetMetadata(TimeSpan.FromSeconds(5)).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count);
        Assert.Equal(2, topics[$"{app}-by-word-repartition"]);
        Assert.Equal(2, topics[$"{app}-word-counts-changelog"]);
    }

    [Fact]
    public void On_a_real_cluster_the_admin_client_is_Streamizs_own()
    {
        var config = EmbeddedStreams.Config(_cluster, "real", _log, _stateDir);
        using var embedded = new OttoKafkaSupplier(config, _cluster).GetAdmin(config.ToAdminConfig("a"));
        using var real = new OttoKafkaSupplier(config, embedded: null).GetAdmin(config.ToAdminConfig("b"));

        Assert.IsType<EmbeddedAdminClient>(embedded);
        Assert.IsNotType<EmbeddedAdminClient>(real);
    }

    [Fact]
    public async Task The_embedded_admin_client_creates_topics_with_the_counts_asked_and_reports_errors_like_a_broker()
    {
        var config = EmbeddedStreams.Config(_cluster, "admin", _log, _stateDir);
        using var admin = new OttoKafkaSupplier(config, _cluster).GetAdmin(config.ToAdminConfig("admin"));

        await admin.CreateTopicsAsync([
            new TopicSpecification { Name = "six", NumPartitions = 6, ReplicationFactor = -1, Configs = new() { ["cleanup.policy"] = "compact" } },
            new TopicSpecification { Name = "broker-default", NumPartitions = -1 },
        ]);
        var again = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = "six", NumPartitions = 6 }, new TopicSpecification { Name = "seven", NumPartitions = 7 }]));

        var topics = admin.GetMetadata(TimeSpan.FromSeconds(5)).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count);
        Assert.Equal(6, topics["six"]);
        Assert.Equal(4, topics["broker-default"]);
        Assert.Equal(7, topics["seven"]);
        Assert.Equal(ErrorCode.TopicAlreadyExists, again.Results.Single(r => r.Topic == "six").Error.Code);
        Assert.False(again.Results.Single(r => r.Topic == "seven").Error.IsError);
    }

    [Fact]
    public void The_embedded_admin_client_never_creates_a_topic_by_asking_for_its_metadata()
    {
        var config = EmbeddedStreams.Config(_cluster, "auto", _log, _stateDir);
        config.AllowAutoCreateTopics = true;
        using var admin = new OttoKafkaSupplier(config, _cluster).GetAdmin(config.ToAdminConfig("auto"));

        var asked = admin.GetMetadata("auto-changelog", TimeSpan.FromSeconds(5)).Topics.Single();

        Assert.Empty(asked.Partitions);
        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(5)).Topics, t => t.Topic == "auto-changelog");
    }
}
