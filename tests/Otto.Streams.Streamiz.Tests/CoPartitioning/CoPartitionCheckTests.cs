using Confluent.Kafka;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.CoPartitioning;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace Otto.Streams.Streamiz.Tests.CoPartitioning;

/// <summary>The co-partition check against real topologies and the embedded cluster's metadata.</summary>
public sealed class CoPartitionCheckTests : IDisposable
{
    private const string Added = "pc.qa.pmt.fct.cpr.PaymentAdded";
    private const string Settled = "pc.qa.pmt.fct.cpr.PaymentSettled";
    private const string Flagged = "pc.qa.pmt.fct.otto.PaymentFlagged";
    private const string Requests = "pc.qa.pmt.cmd.otto.GetTrnRq";
    private const string Replies = "pc.qa.pmt.cmd.otto.GetTrnRs";
    private const string Limits = "pc.qa.pmt.fct.limits.LimitChanged";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();
    private readonly IAdminClient _admin;

    public CoPartitionCheckTests()
    {
        _admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
    }

    public void Dispose()
    {
        _admin.Dispose();
        _cluster.Dispose();
    }

    // Sub-topology 0: facts joined (stream-table) and flagged. Id 1 is the global limits table: it reads every
    // partition, so its count never matters. Sub-topology 2: the repartitioned replies joined to the table of pending
    // requests. Sub-topology 3: replies re-keyed into a named repartition topic.
    private static Topology PaymentsLikeTopology()
    {
        var builder = new StreamBuilder();
        var settled = builder.Table(Settled, InMemory.As<string, string>("settled"));
        var limits = builder.GlobalTable(Limits, InMemory.As<string, string>("limits"));
        builder.Stream<string, string>(Added)
            .Join(settled, (added, settledValue) => added + settledValue)
            .Join(limits, (key, _) => key, (flag, limit) => flag + limit)
            .To(Flagged);

        var pending = builder.Table(Requests, InMemory.As<string, string>("pending-requests"));
        builder.Stream<string, string>(Replies)
            .SelectKey((_, value, _) => value)
            .Repartition(Repartitioned<string, string>.As("replies-by-correlation").WithNumberOfPartitions(4))
            .Join(pending, (reply, request) => reply + request)
            .To(Flagged);
        return builder.Build();
    }

    private void CreateTopics(params (string Name, int Partitions)[] topics)
    {
        foreach (var (name, partitions) in topics)
        {
            _cluster.CreateTopic(name, partitions);
        }
    }

    [Fact]
    public void Source_topics_per_sub_topology_leave_out_repartition_and_global_topics()
    {
        var sources = CoPartitionCheck.SourceTopics(PaymentsLikeTopology());

        Assert.Equal(
            new[] { $"0: {Added}, {Settled}", $"2: {Requests}", $"3: {Replies}" },
            sources.Select(s => $"{s.SubTopologyId}: {string.Join(", ", s.Topics)}"));
    }

    [Fact]
    public void Topics_with_equal_partition_counts_pass()
    {
        // The replies and request topics differ from the facts, and the global table from everything: both allowed.
        CreateTopics((Added, 4), (Settled, 4), (Replies, 6), (Requests, 6), (Limits, 1), (Flagged, 3));

        CoPartitionCheck.Verify(PaymentsLikeTopology(), _admin, Timeout);
    }

    [Fact]
    public void Joined_fact_topics_with_different_partition_counts_fail_naming_each_topic_and_count()
    {
        CreateTopics((Added, 4), (Settled, 6), (Replies, 6), (Requests, 6), (Limits, 1), (Flagged, 3));

        var error = Assert.Throws<CoPartitioningException>(() => CoPartitionCheck.Verify(PaymentsLikeTopology(), _admin, Timeout));

        Assert.Equal(
            $"topics read by sub-topology 0 must have the same partition count: {Added}=4, {Settled}=6",
            error.Message);
    }

    [Fact]
    public void Every_offending_sub_topology_is_named_in_one_message()
    {
        // Sub-topology 0: two fact streams merged, then joined; sub-topology 1: a stream joined to a table.
        var builder = new StreamBuilder();
        var settled = builder.Table(Settled, InMemory.As<string, string>("settled"));
        builder.Stream<string, string>(Added).Merge(builder.Stream<string, string>(Replies))
            .Join(settled, (a, s) => a + s).To(Flagged);
        var limits = builder.Table(Limits, InMemory.As<string, string>("limits"));
        builder.Stream<string, string>(Requests).Join(limits, (r, l) => r + l).To(Flagged);
        CreateTopics((Added, 4), (Settled, 6), (Replies, 2), (Requests, 3), (Limits, 5));

        var error = Assert.Throws<CoPartitioningException>(() => CoPartitionCheck.Verify(builder.Build(), _admin, Timeout));

        Assert.Equal(
            $"topics read by sub-topology 0 must have the same partition count: {Replies}=2, {Added}=4, {Settled}=6\n" +
            $"topics read by sub-topology 1 must have the same partition count: {Requests}=3, {Limits}=5",
            error.Message);
    }

    [Fact]
    public void A_missing_source_topic_gets_its_own_message_and_is_not_auto_created()
    {
        CreateTopics((Added, 4), (Replies, 6), (Requests, 6), (Limits, 1));

        var error = Assert.Throws<CoPartitioningException>(() => CoPartitionCheck.Verify(PaymentsLikeTopology(), _admin, Timeout));

        Assert.Equal($"topics read by sub-topology 0 do not exist on the cluster: {Settled}", error.Message);
        // The check asked for all topics, never for the missing one by name (which makes the mock create it).
        Assert.DoesNotContain(_admin.GetMetadata(Timeout).Topics, t => t.Topic == Settled);
    }
}
