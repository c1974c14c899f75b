using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class GroupedTableTests
{
    [Fact]
    public void Count_moves_a_row_from_its_old_group_to_its_new_one_and_a_tombstone_retracts_it()
    {
        var builder = new StreamBuilder();
        builder.Table<string, string>("users").GroupBy((_, city) => KeyValuePair.Create(city, city)).Count(Materialized<string, long>.As("per-city"))
            .ToStream().To("out", valueSerDes: Driver.Longs);
        using var driver = Driver.For(builder);

        var pipe = driver.Input("users");
        pipe.PipeInput("ann", "oslo");
        pipe.PipeInput("bob", "oslo");
        pipe.PipeInput("ann", "rome");
        pipe.PipeInput("bob", null!);

        Assert.Equal([("oslo", 1L), ("oslo", 2L), ("oslo", 1L), ("rome", 1L), ("oslo", 0L)], driver.LongOutput("out").ReadAll());
        Assert.Equal(0L, driver.GetKeyValueStore<string, long>("per-city").Get("oslo"));
    }

    [Fact]
    public void Reduce_adds_new_values_and_subtracts_replaced_ones_in_one_update_when_the_group_stays()
    {
        var builder = new StreamBuilder();
        builder.Table<string, string>("balances")
            .GroupBy((account, balance) => KeyValuePair.Create(account[..2], balance))
            .Reduce((a, b) => (long.Parse(a) + long.Parse(b)).ToString(), (a, b) => (long.Parse(a) - long.Parse(b)).ToString())
            .ToStream().To("out");
        using var driver = Driver.For(builder);

        driver.Input("balances").PipeInput("eu-1", "10");
        driver.Input("balances").PipeInput("eu-2", "5");
        driver.Input("balances").PipeInput("eu-1", "30");

        Assert.Equal([("eu", "10"), ("eu", "15"), ("eu", "35")], driver.Output("out").ReadAll());
    }
}
