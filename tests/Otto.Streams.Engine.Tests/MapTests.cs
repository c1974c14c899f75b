namespace Otto.Streams.Engine.Tests;

public class MapTests
{
    [Fact]
    public void Map_gives_each_record_a_new_key_and_value_and_passes_tombstones_to_the_mapper()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string?>("in").Map((k, v) => KeyValuePair.Create(v ?? "deleted", k)).To("out");
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("1", "one");
        driver.Input("in").PipeInput("2", null!);

        Assert.Equal([("one", "1"), ("deleted", "2")], driver.Output("out").ReadAll());
    }

    [Fact]
    public void FlatMap_emits_zero_or_more_records_per_input()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").FlatMap((k, v) => v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(w => KeyValuePair.Create(w, k))).To("out");
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("s1", "a,b");
        driver.Input("in").PipeInput("s2", "");

        Assert.Equal([("a", "s1"), ("b", "s1")], driver.Output("out").ReadAll());
    }

    [Fact]
    public void FlatMapValues_keeps_the_key()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").FlatMapValues(v => v.Split(' ')).To("out");
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("k", "x y z");

        Assert.Equal([("k", "x"), ("k", "y"), ("k", "z")], driver.Output("out").ReadAll());
    }

    [Fact]
    public void Foreach_sees_every_record_including_tombstones()
    {
        var seen = new List<(string, string?)>();
        var builder = new StreamBuilder();
        builder.Stream<string, string?>("in").Foreach((k, v) => seen.Add((k, v)));
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("a", "1");
        driver.Input("in").PipeInput("b", null!);

        Assert.Equal([("a", "1"), ("b", null)], seen);
    }
}
