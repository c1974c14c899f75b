using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class GroupByTests
{
    [Fact]
    public void GroupBy_repartitions_by_the_new_key_before_counting()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("words").GroupBy((_, word) => word).Count(Materialized<string, long>.As("word-counts"))
            .ToStream().To("out", valueSerDes: Driver.Longs);
        using var driver = Driver.For(builder);

        foreach (var (k, w) in new[] { ("1", "cat"), ("2", "dog"), ("3", "cat") }) driver.Input("words").PipeInput(k, w);

        Assert.Equal([("cat", 1L), ("dog", 1L), ("cat", 2L)], driver.LongOutput("out").ReadAll());
        Assert.Equal(3, driver.CreateOutputTopic("engine-test-word-counts-repartition", Driver.Strings, Driver.Strings).QueueSize);
    }

    [Fact]
    public void A_null_new_key_is_dropped_before_the_repartition_topic()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").GroupBy((_, v) => v == "none" ? null! : v).Count().ToStream().To("out", valueSerDes: Driver.Longs);
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("1", "none");
        driver.Input("in").PipeInput("2", "x");

        Assert.Equal([("x", 1L)], driver.LongOutput("out").ReadAll());
    }

    [Fact]
    public void Describe_shows_the_repartition_sink_and_source_in_separate_subtopologies()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").SelectKey((_, v) => v).GroupByKey().Count();

        Assert.Equal("""
            Topologies:
               Sub-topology: 0
                Source: KSTREAM-SOURCE-0000000000 (topics: [in])
                  --> KSTREAM-KEY-SELECT-0000000001
                Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])
                  --> KSTREAM-FILTER-0000000005
                  <-- KSTREAM-SOURCE-0000000000
                Processor: KSTREAM-FILTER-0000000005 (stores: [])
                  --> KSTREAM-SINK-0000000004
                  <-- KSTREAM-KEY-SELECT-0000000001
                Sink: KSTREAM-SINK-0000000004 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition)
                  <-- KSTREAM-FILTER-0000000005

               Sub-topology: 1
                Source: KSTREAM-SOURCE-0000000006 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition])
                  --> KSTREAM-AGGREGATE-0000000003
                Processor: KSTREAM-AGGREGATE-0000000003 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000002])
                  <-- KSTREAM-SOURCE-0000000006


            """.Replace("\r\n", "\n"), builder.Build().Describe());
    }
}
