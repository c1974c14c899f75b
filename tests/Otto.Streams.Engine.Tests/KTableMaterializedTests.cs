using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class KTableMaterializedTests
{
    [Fact]
    public void A_materialized_filter_keeps_only_passing_rows_in_its_own_queryable_store()
    {
        var builder = new StreamBuilder();
        var vip = builder.Table<string, string>("customers").Filter((_, tier) => tier == "vip", materialized: Materialized<string, string>.As("vips"));
        Assert.Equal("vips", vip.QueryableStoreName);
        using var driver = Driver.For(builder);

        driver.Input("customers").PipeInput("c1", "vip");
        driver.Input("customers").PipeInput("c2", "basic");
        driver.Input("customers").PipeInput("c1", "basic");
        driver.Input("customers").PipeInput("c3", "vip");

        var store = driver.GetKeyValueStore<string, string>("vips");
        Assert.Null(store.Get("c1"));
        Assert.Null(store.Get("c2"));
        Assert.Equal("vip", store.Get("c3"));
    }

    [Fact]
    public void A_materialized_table_join_is_queryable_and_loses_rows_on_tombstones()
    {
        var builder = new StreamBuilder();
        var left = builder.Table<string, string>("left");
        var right = builder.Table<string, string>("right");
        left.Join(right, (l, r) => l + r, materialized: Materialized<string, string>.As("joined"));
        using var driver = Driver.For(builder);

        driver.Input("left").PipeInput("k", "a");
        driver.Input("right").PipeInput("k", "b");
        Assert.Equal("ab", driver.GetKeyValueStore<string, string>("joined").Get("k"));
        driver.Input("right").PipeInput("k", null!);
        Assert.Null(driver.GetKeyValueStore<string, string>("joined").Get("k"));
    }
}
