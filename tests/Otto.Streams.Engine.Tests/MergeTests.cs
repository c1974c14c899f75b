namespace Otto.Streams.Engine.Tests;

public class MergeTests
{
    [Fact]
    public void Merge_interleaves_two_streams_in_arrival_order()
    {
        var builder = new StreamBuilder();
        var a = builder.Stream<string, string>("a");
        var b = builder.Stream<string, string>("b");
        a.Merge(b).To("out");
        using var driver = Driver.For(builder);

        driver.Input("a").PipeInput("1", "from a");
        driver.Input("b").PipeInput("2", "from b");
        driver.Input("a").PipeInput("3", "from a again");

        Assert.Equal([("1", "from a"), ("2", "from b"), ("3", "from a again")], driver.Output("out").ReadAll());
    }
}
