namespace Otto.Streams.Engine.Tests;

public class TableTableJoinTests
{
    private static TestDriver.TopologyTestDriver JoinDriver(string kind)
    {
        var builder = new StreamBuilder();
        var left = builder.Table<string, string>("left");
        var right = builder.Table<string, string>("right");
        var joined = kind switch
        {
            "inner" => left.Join(right, (l, r) => $"{l}+{r}"),
            "left" => left.LeftJoin(right, (l, r) => $"{l}+{r ?? "null"}"),
            _ => left.OuterJoin(right, (l, r) => $"{l ?? "null"}+{r ?? "null"}"),
        };
        joined.ToStream().To("out");
        return Driver.For(builder);
    }

    private static List<(string, string)> Run(TestDriver.TopologyTestDriver driver)
    {
        driver.Input("left").PipeInput("k", "L1");
        driver.Input("right").PipeInput("k", "R1");
        driver.Input("left").PipeInput("k", "L2");
        driver.Input("left").PipeInput("k", null!);
        driver.Input("right").PipeInput("k", null!);
        return driver.Output("out").ReadAll();
    }

    [Fact]
    public void Inner_join_has_a_row_only_where_both_sides_have_one()
    {
        using var driver = JoinDriver("inner");
        Assert.Equal([("k", "L1+R1"), ("k", "L2+R1"), ("k", null!)], Run(driver));
    }

    [Fact]
    public void Left_join_has_a_row_wherever_the_left_side_has_one()
    {
        using var driver = JoinDriver("left");
        Assert.Equal([("k", "L1+null"), ("k", "L1+R1"), ("k", "L2+R1"), ("k", null!)], Run(driver));
    }

    [Fact]
    public void Outer_join_has_a_row_wherever_either_side_has_one()
    {
        using var driver = JoinDriver("outer");
        Assert.Equal([("k", "L1+null"), ("k", "L1+R1"), ("k", "L2+R1"), ("k", "null+R1"), ("k", null!)], Run(driver));
    }

    [Fact]
    public void A_grouped_aggregate_over_a_join_subtracts_the_replaced_result()
    {
        var builder = new StreamBuilder();
        var accounts = builder.Table<string, string>("accounts");
        var balances = builder.Table<string, string>("balances");
        accounts.Join(balances, (region, balance) => $"{region}:{balance}")
            .GroupBy((_, v) => KeyValuePair.Create(v.Split(':')[0], v.Split(':')[1]))
            .Aggregate(() => 0L, (_, v, sum) => sum + long.Parse(v), (_, v, sum) => sum - long.Parse(v),
                Stream.Materialized<string, long>.As("per-region").With(null, Driver.Longs))
            .ToStream().To("out", valueSerDes: Driver.Longs);
        using var driver = Driver.For(builder);

        driver.Input("accounts").PipeInput("a1", "eu");
        driver.Input("balances").PipeInput("a1", "10");
        driver.Input("balances").PipeInput("a1", "25");
        driver.Input("accounts").PipeInput("a1", "us");

        Assert.Equal([("eu", 10L), ("eu", 25L), ("eu", 0L), ("us", 25L)], driver.LongOutput("out").ReadAll());
    }
}
