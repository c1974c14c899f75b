using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class ToTableTests
{
    [Fact]
    public void ToTable_upserts_and_deletes_on_tombstones()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").ToTable(Materialized<string, string>.As("latest")).ToStream().To("out");
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("k", "1");
        driver.Input("in").PipeInput("k", "2");
        Assert.Equal("2", driver.GetKeyValueStore<string, string>("latest").Get("k"));
        driver.Input("in").PipeInput("k", null!);

        Assert.Null(driver.GetKeyValueStore<string, string>("latest").Get("k"));
        Assert.Equal([("k", "1"), ("k", "2"), ("k", null!)], driver.Output("out").ReadAll());
    }

    [Fact]
    public void ToTable_after_a_key_change_repartitions_first()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").SelectKey((_, v) => v).ToTable();
        Assert.Single(builder.Build().RepartitionTopics("app"));
    }
}
