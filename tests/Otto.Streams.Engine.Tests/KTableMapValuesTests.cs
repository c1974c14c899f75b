using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class KTableMapValuesTests
{
    [Fact]
    public void MapValues_maps_updates_and_keeps_tombstones()
    {
        var builder = new StreamBuilder();
        builder.Table<string, string>("t").MapValues(v => v.ToUpperInvariant()).ToStream().To("out");
        using var driver = Driver.For(builder);

        driver.Input("t").PipeInput("k", "a");
        driver.Input("t").PipeInput("k", null!);

        Assert.Equal([("k", "A"), ("k", null!)], driver.Output("out").ReadAll());
    }

    [Fact]
    public void A_mapped_table_can_be_looked_up_through_its_parents_store()
    {
        var builder = new StreamBuilder();
        var lengths = builder.Table<string, string>("t", Materialized<string, string>.As("names")).MapValues((_, v) => v.Length.ToString());
        Assert.Null(lengths.QueryableStoreName);
        builder.Stream<string, string>("s").Join(lengths, (s, len) => $"{s}={len}").To("out");
        using var driver = Driver.For(builder);

        driver.Input("t").PipeInput("k", "four");
        driver.Input("s").PipeInput("k", "len");

        Assert.Equal([("k", "len=4")], driver.Output("out").ReadAll());
    }
}
