using Otto.Streams.Errors;
using Otto.Streams.Runtime;
using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class RepartitionTests
{
    [Fact]
    public void Repartition_writes_through_a_named_internal_topic_and_reads_it_back()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").Repartition(Repartitioned<string, string>.As("by-key")).To("out");
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("a", "1");

        Assert.Equal([("a", "1")], driver.Output("out").ReadAll());
        Assert.Equal([("a", "1")], driver.Output("engine-test-by-key-repartition").ReadAll());
    }

    [Fact]
    public void A_key_change_before_a_stream_table_join_repartitions_the_stream_side()
    {
        var builder = new StreamBuilder();
        var table = builder.Table("customers", Materialized<string, string>.As("customers"));
        builder.Stream<string, string>("orders").SelectKey((_, v) => v.Split(':')[0]).Join(table, (o, c) => $"{o}/{c}").To("out");
        var topology = builder.Build();
        Assert.Equal(["app-KSTREAM-KEY-SELECT-0000000003-repartition"], topology.RepartitionTopics("app").Keys);
        using var driver = new TestDriver.TopologyTestDriver(topology, Driver.Config());

        driver.Input("customers").PipeInput("c1", "Ann");
        driver.Input("orders").PipeInput("o1", "c1:book");

        Assert.Equal([("c1", "c1:book/Ann")], driver.Output("out").ReadAll());
    }

    [Fact]
    public void Start_up_creates_repartition_topics_with_the_partition_count_of_their_sources()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").GroupBy((_, v) => v).Count(Materialized<string, long>.As("counts"));
        builder.Stream<string, string>("other").Repartition(Repartitioned<string, string>.WithNumberOfPartitions(3).WithPartitions(3)).To("out");
        var topics = new FakeTopics(new() { ["in"] = 6, ["other"] = 2 });

        TopicValidator.Prepare(builder.Build(), Driver.Config(), topics);

        Assert.Equal(6, topics.Created["engine-test-counts-repartition"]);
        Assert.Equal(3, topics.Created["engine-test-KSTREAM-REPARTITION-0000000007-repartition"]);
        Assert.Equal(6, topics.Created["engine-test-counts-changelog"]);
        Assert.Equal("delete", topics.Configs["engine-test-counts-repartition"]["cleanup.policy"]);
    }

    [Fact]
    public void A_repartitioned_stream_joined_with_a_table_gets_the_tables_partition_count()
    {
        var builder = new StreamBuilder();
        var table = builder.Table("table", Materialized<string, string>.As("t"));
        builder.Stream<string, string>("in").SelectKey((_, v) => v).Join(table, (a, b) => a + b).To("out");
        var topics = new FakeTopics(new() { ["in"] = 8, ["table"] = 4 });

        TopicValidator.Prepare(builder.Build(), Driver.Config(), topics);

        Assert.Equal(4, topics.Created["engine-test-KSTREAM-KEY-SELECT-0000000003-repartition"]);
    }

    [Fact]
    public void An_existing_repartition_topic_with_the_wrong_partition_count_is_a_clear_error()
    {
        var builder = new StreamBuilder();
        var table = builder.Table("table", Materialized<string, string>.As("t"));
        builder.Stream<string, string>("in").Repartition(Repartitioned<string, string>.As("fixed").WithPartitions(2)).Join(table, (a, b) => a + b).To("out");
        var topics = new FakeTopics(new() { ["in"] = 4, ["table"] = 4 });

        var error = Assert.Throws<TopologyException>(() => TopicValidator.Prepare(builder.Build(), Driver.Config(), topics));
        Assert.Contains("engine-test-fixed-repartition has 2", error.Message);
        Assert.Contains("table has 4", error.Message);
    }

    private sealed class FakeTopics(Dictionary<string, int> existing) : IInternalTopicManager
    {
        public Dictionary<string, int> Created { get; } = [];
        public Dictionary<string, IReadOnlyDictionary<string, string>> Configs { get; } = [];

        public IReadOnlyDictionary<string, int> GetPartitionCounts(IReadOnlyCollection<string> topics) =>
            existing.Where(t => topics.Contains(t.Key)).ToDictionary();

        public void CreateTopics(IReadOnlyDictionary<string, int> topics, IReadOnlyDictionary<string, string> configs)
        {
            foreach (var (t, n) in topics)
            {
                Created[t] = n;
                Configs[t] = configs;
            }
        }
    }
}
