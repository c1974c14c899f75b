using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class SplitTests
{
    [Fact]
    public void Each_record_goes_to_the_first_matching_branch_then_the_default()
    {
        var builder = new StreamBuilder();
        var branches = builder.Stream<string, string>("in").Split("route-")
            .Branch((_, v) => v.StartsWith('a'), Branched<string, string>.As("a"))
            .Branch((_, v) => v.Length > 3)
            .DefaultBranch();
        Assert.Equal(["route-0", "route-2", "route-a"], branches.Keys.Order());
        branches["route-a"].To("a");
        branches["route-2"].To("long");
        branches["route-0"].To("rest");
        using var driver = Driver.For(builder);

        var pipe = driver.Input("in");
        pipe.PipeInput("1", "apple");
        pipe.PipeInput("2", "banana");
        pipe.PipeInput("3", "fig");

        Assert.Equal([("1", "apple")], driver.Output("a").ReadAll());
        Assert.Equal([("2", "banana")], driver.Output("long").ReadAll());
        Assert.Equal([("3", "fig")], driver.Output("rest").ReadAll());
    }

    [Fact]
    public void Without_a_default_branch_unmatched_records_are_dropped_and_consumers_get_their_branch()
    {
        var builder = new StreamBuilder();
        var branches = builder.Stream<string, string>("in").Split()
            .Branch((_, v) => v == "x", Branched<string, string>.WithConsumer(s => s.To("xs")))
            .Branch((_, v) => v == "y", Branched<string, string>.WithFunction(s => s.MapValues(v => v.ToUpperInvariant()), "y"))
            .NoDefaultBranch();
        var ys = Assert.Single(branches);
        ys.Value.To("ys");
        using var driver = Driver.For(builder);

        foreach (var v in new[] { "x", "y", "z" }) driver.Input("in").PipeInput("k", v);

        Assert.Equal([("k", "x")], driver.Output("xs").ReadAll());
        Assert.Equal([("k", "Y")], driver.Output("ys").ReadAll());
    }
}
