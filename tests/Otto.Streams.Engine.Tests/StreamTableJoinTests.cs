using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class StreamTableJoinTests
{
    private static (StreamBuilder, IKTable<string, string>) Build()
    {
        var builder = new StreamBuilder();
        var table = builder.Table("customers", Materialized<string, string>.As("customers-store").With(Driver.Strings, Driver.Strings));
        return (builder, table);
    }

    [Fact]
    public void Inner_join_emits_only_when_the_table_has_the_key_and_uses_its_latest_value()
    {
        var (builder, table) = Build();
        builder.Stream<string, string>("orders").Join(table, (order, customer) => $"{order} for {customer}").To("out");
        using var driver = Driver.For(builder);
        var customers = driver.Input("customers");
        var orders = driver.Input("orders");

        orders.PipeInput("c1", "early order");
        customers.PipeInput("c1", "Alice");
        orders.PipeInput("c1", "book");
        customers.PipeInput("c1", "Alice B.");
        orders.PipeInput("c1", "pen");

        Assert.Equal([("c1", "book for Alice"), ("c1", "pen for Alice B.")], driver.Output("out").ReadAll());
    }

    [Fact]
    public void Table_tombstone_deletes_the_key_so_a_left_join_sees_null()
    {
        var (builder, table) = Build();
        builder.Stream<string, string>("orders").LeftJoin(table, (order, customer) => $"{order} for {customer ?? "nobody"}").To("out");
        using var driver = Driver.For(builder);

        driver.Input("customers").PipeInput("c1", "Alice");
        driver.Input("orders").PipeInput("c1", "book");
        driver.Input("customers").PipeInput("c1", null!);
        driver.Input("orders").PipeInput("c1", "pen");

        Assert.Equal([("c1", "book for Alice"), ("c1", "pen for nobody")], driver.Output("out").ReadAll());
        Assert.Null(driver.GetKeyValueStore<string, string>("customers-store").Get("c1"));
    }

    [Fact]
    public void Records_with_a_null_key_are_dropped_by_the_join()
    {
        var (builder, table) = Build();
        builder.Stream<string, string>("orders").LeftJoin(table, (o, c) => $"{o}/{c}").To("out");
        using var driver = Driver.For(builder);

        driver.Input("orders").PipeInput(null!, "keyless");

        Assert.True(driver.Output("out").IsEmpty);
    }

    [Fact]
    public void The_table_store_is_logged_to_its_changelog_topic()
    {
        var (builder, _) = Build();
        using var driver = Driver.For(builder);

        driver.Input("customers").PipeInput("c1", "Alice");

        Assert.Equal([("c1", "Alice")], driver.Output("engine-test-customers-store-changelog").ReadAll());
    }
}
