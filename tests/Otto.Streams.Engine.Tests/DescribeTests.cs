using Otto.Streams.Errors;
using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class DescribeTests
{
    [Fact]
    public void Describe_lists_subtopologies_nodes_edges_topics_and_stores_in_Kafka_Streams_format()
    {
        var builder = new StreamBuilder();
        var table = builder.Table("t", Materialized<string, string>.As("t-store").With(Driver.Strings, Driver.Strings));
        builder.Stream<string, string>("in").Filter((_, _) => true, "keep-all").Join(table, (a, b) => a + b, "join-t").To("out", named: "to-out");
        builder.Stream<string, string>("other").To("elsewhere", named: "to-elsewhere");

        var description = builder.Build().Describe();

        Assert.Equal("""
            Topologies:
               Sub-topology: 0
                Source: KSTREAM-SOURCE-0000000000 (topics: [t])
                  --> KTABLE-SOURCE-0000000001
                Processor: KTABLE-SOURCE-0000000001 (stores: [t-store])
                  <-- KSTREAM-SOURCE-0000000000
                Source: KSTREAM-SOURCE-0000000002 (topics: [in])
                  --> keep-all
                Processor: keep-all (stores: [])
                  --> join-t
                  <-- KSTREAM-SOURCE-0000000002
                Processor: join-t (stores: [t-store])
                  --> to-out
                  <-- keep-all
                Sink: to-out (topic: out)
                  <-- join-t

               Sub-topology: 1
                Source: KSTREAM-SOURCE-0000000003 (topics: [other])
                  --> to-elsewhere
                Sink: to-elsewhere (topic: elsewhere)
                  <-- KSTREAM-SOURCE-0000000003


            """.Replace("\r\n", "\n"), description);
    }

    [Fact]
    public void Two_sources_on_one_topic_are_rejected()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in");
        var error = Assert.Throws<TopologyException>(() => builder.Stream<string, string>("in"));
        Assert.Contains("already read by another source", error.Message);
    }

    [Fact]
    public void A_sink_without_serdes_and_no_config_default_is_rejected_with_the_node_name()
    {
        var builder = new StreamBuilder();
        builder.Stream("in", Driver.Strings, Driver.Strings).MapValues(v => v.Length).To("out", named: "lengths");
        var noDefaults = new StreamConfig { ApplicationId = "no-defaults" };
        var error = Assert.Throws<TopologyException>(() => new Otto.Streams.TestDriver.TopologyTestDriver(builder.Build(), noDefaults));
        Assert.Contains("'lengths' has no value serde", error.Message);
    }
}
