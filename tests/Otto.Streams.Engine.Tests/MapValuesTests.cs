namespace Otto.Streams.Engine.Tests;

public class MapValuesTests
{
    [Fact]
    public void MapValues_transforms_values_and_keeps_keys_and_timestamps()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").MapValues(v => v.ToUpperInvariant()).MapValues((k, v) => $"{k}:{v}").To("out");
        using var driver = Driver.For(builder);
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        driver.Input("in").PipeInput("k", "value", at);

        var record = Assert.Single(driver.Output("out").ReadRecordsToList());
        Assert.Equal(("k", "k:VALUE"), (record.Key, record.Value));
        Assert.Equal(at.ToUnixTimeMilliseconds(), record.Timestamp);
    }
}
