namespace Otto.Streams.Engine.Tests;

public class ToTests
{
    [Fact]
    public void A_topic_name_extractor_picks_each_records_topic_and_sees_its_source()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").To((k, _, source) => $"{source!.Topic}-{k}");
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("eu", "1");
        driver.Input("in").PipeInput("us", "2");

        Assert.Equal([("eu", "1")], driver.Output("in-eu").ReadAll());
        Assert.Equal([("us", "2")], driver.Output("in-us").ReadAll());
    }

    [Fact]
    public void Describe_shows_a_sink_with_a_chosen_topic()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").To((k, _, _) => k, named: "by-key");
        Assert.Contains("Sink: by-key (topic: <chosen per record>)", builder.Build().Describe());
    }
}
