namespace Otto.Streams.Engine.Tests;

public class FilterTests
{
    [Fact]
    public void Filter_keeps_matching_records_and_FilterNot_the_others()
    {
        var builder = new StreamBuilder();
        var input = builder.Stream<string, string>("in");
        input.Filter((_, v) => v.StartsWith('a')).To("kept");
        input.FilterNot((_, v) => v.StartsWith('a')).To("dropped");
        using var driver = Driver.For(builder);

        var pipe = driver.Input("in");
        pipe.PipeInput("1", "apple");
        pipe.PipeInput("2", "banana");
        pipe.PipeInput("3", "avocado");

        Assert.Equal([("1", "apple"), ("3", "avocado")], driver.Output("kept").ReadAll());
        Assert.Equal([("2", "banana")], driver.Output("dropped").ReadAll());
    }

    [Fact]
    public void Filter_sees_tombstones_and_can_pass_them_on()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string?>("in").Filter((_, v) => v is null).To("tombstones");
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("gone", null!);

        var record = Assert.Single(driver.Output("tombstones").ReadRecordsToList());
        Assert.Equal("gone", record.Key);
        Assert.Null(record.Value);
    }
}
