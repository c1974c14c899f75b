using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class GroupByKeyTests
{
    [Fact]
    public void Count_counts_per_key_skips_null_keys_and_values_and_is_queryable()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").GroupByKey().Count(Materialized<string, long>.As("counts")).ToStream().To("out", valueSerDes: Driver.Longs);
        using var driver = Driver.For(builder);

        var pipe = driver.Input("in");
        pipe.PipeInput("a", "1");
        pipe.PipeInput("b", "1");
        pipe.PipeInput("a", "2");
        pipe.PipeInput(null!, "no key");
        pipe.PipeInput("a", null!);

        Assert.Equal([("a", 1L), ("b", 1L), ("a", 2L)], driver.LongOutput("out").ReadAll());
        Assert.Equal(2L, driver.GetKeyValueStore<string, long>("counts").Get("a"));
    }

    [Fact]
    public void Reduce_starts_from_the_first_value()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").GroupByKey().Reduce((a, b) => a + "+" + b).ToStream().To("out");
        using var driver = Driver.For(builder);

        foreach (var v in new[] { "x", "y", "z" }) driver.Input("in").PipeInput("k", v);

        Assert.Equal(["x", "x+y", "x+y+z"], driver.Output("out").ReadValuesToList());
    }

    [Fact]
    public void Aggregate_seeds_each_key_with_the_initializer()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").GroupByKey()
            .Aggregate(() => 100L, (_, v, sum) => sum + long.Parse(v), Materialized<string, long>.As("sums").With(null, Driver.Longs))
            .ToStream().To("out", valueSerDes: Driver.Longs);
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("a", "5");
        driver.Input("in").PipeInput("a", "7");
        driver.Input("in").PipeInput("b", "1");

        Assert.Equal([("a", 105L), ("a", 112L), ("b", 101L)], driver.LongOutput("out").ReadAll());
    }

    [Fact]
    public void GroupByKey_on_an_unchanged_key_adds_no_repartition_topic()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").MapValues(v => v).GroupByKey().Count();
        var topology = builder.Build();
        Assert.Empty(topology.RepartitionTopics("app"));
        Assert.Single(topology.Subtopologies);
    }

    [Fact]
    public void A_store_without_a_serde_of_its_type_names_the_store()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").GroupByKey().Aggregate(() => 0, (_, _, n) => n + 1, Materialized<string, int>.As("ints"));
        var error = Assert.Throws<Errors.TopologyException>(() => Driver.For(builder));
        Assert.Contains("'ints' needs a value serde of Int32", error.Message);
    }
}
