namespace Otto.Streams.Engine.Tests;

public class SelectKeyTests
{
    [Fact]
    public void SelectKey_rekeys_records_and_a_topic_hop_brings_them_back_in()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").SelectKey((_, v) => v.Split(':')[0]).To("by-customer");
        builder.Stream<string, string>("by-customer").MapValues((k, v) => $"{k} got {v}").To("out");
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("order-1", "alice:book");

        Assert.Equal([("alice", "alice:book")], driver.Output("by-customer").ReadAll());
        Assert.Equal([("alice", "alice got alice:book")], driver.Output("out").ReadAll());
    }
}
