using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class KTableFilterTests
{
    [Fact]
    public void An_update_that_fails_the_predicate_is_forwarded_as_a_tombstone()
    {
        var builder = new StreamBuilder();
        builder.Table<string, string>("t").Filter((_, v) => v.StartsWith('a')).ToStream().To("out");
        using var driver = Driver.For(builder);

        var pipe = driver.Input("t");
        pipe.PipeInput("k1", "apple");
        pipe.PipeInput("k2", "banana");
        pipe.PipeInput("k1", "berry");
        pipe.PipeInput("k1", null!);

        Assert.Equal([("k1", "apple"), ("k2", null!), ("k1", null!), ("k1", null!)], driver.Output("out").ReadAll());
    }

    [Fact]
    public void FilterNot_keeps_the_rows_that_fail_the_predicate()
    {
        var builder = new StreamBuilder();
        builder.Table<string, string>("t").FilterNot((_, v) => v.StartsWith('a')).ToStream().To("out");
        using var driver = Driver.For(builder);

        driver.Input("t").PipeInput("k1", "apple");
        driver.Input("t").PipeInput("k2", "banana");

        Assert.Equal([("k1", null!), ("k2", "banana")], driver.Output("out").ReadAll());
    }

    [Fact]
    public void With_old_values_a_row_that_was_and_stays_filtered_out_sends_nothing_and_aggregates_stay_right()
    {
        var builder = new StreamBuilder();
        builder.Table<string, string>("accounts").Filter((_, v) => !v.EndsWith("closed"))
            .GroupBy((_, v) => KeyValuePair.Create(v.Split(':')[0], v))
            .Count(Materialized<string, long>.As("open-per-region"))
            .ToStream().To("out", valueSerDes: Driver.Longs);
        using var driver = Driver.For(builder);

        var pipe = driver.Input("accounts");
        pipe.PipeInput("1", "eu:open");
        pipe.PipeInput("2", "eu:closed");
        pipe.PipeInput("2", "eu:still closed");
        pipe.PipeInput("1", "eu:closed");

        Assert.Equal([("eu", 1L), ("eu", 0L)], driver.LongOutput("out").ReadAll());
    }

    [Fact]
    public void A_stream_joined_with_a_filtered_table_sees_only_the_rows_that_pass()
    {
        var builder = new StreamBuilder();
        var vip = builder.Table<string, string>("customers").Filter((_, tier) => tier == "vip");
        builder.Stream<string, string>("orders").LeftJoin(vip, (order, tier) => $"{order}:{tier ?? "none"}").To("out");
        using var driver = Driver.For(builder);

        driver.Input("customers").PipeInput("c1", "vip");
        driver.Input("customers").PipeInput("c2", "basic");
        driver.Input("orders").PipeInput("c1", "o1");
        driver.Input("orders").PipeInput("c2", "o2");

        Assert.Equal([("c1", "o1:vip"), ("c2", "o2:none")], driver.Output("out").ReadAll());
    }
}
