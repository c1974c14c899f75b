using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class GlobalTableJoinTests
{
    private static (StreamBuilder, IGlobalKTable<string, string>) WithCountries()
    {
        var builder = new StreamBuilder();
        return (builder, builder.GlobalTable("countries", Materialized<string, string>.As("countries")));
    }

    [Fact]
    public void Join_looks_up_the_key_the_selector_computes_and_drops_misses()
    {
        var (builder, countries) = WithCountries();
        builder.Stream<string, string>("payments").Join(countries, (_, v) => v.Split(':')[0], (p, c) => $"{p} in {c}").To("out");
        using var driver = Driver.For(builder);

        driver.Input("countries").PipeInput("NO", "Norway");
        driver.Input("payments").PipeInput("p1", "NO:10");
        driver.Input("payments").PipeInput("p2", "XX:5");

        Assert.Equal([("p1", "NO:10 in Norway")], driver.Output("out").ReadAll());
    }

    [Fact]
    public void LeftJoin_passes_null_for_a_miss_a_null_mapped_key_or_a_deleted_row()
    {
        var (builder, countries) = WithCountries();
        builder.Stream<string, string>("payments").LeftJoin(countries, (_, v) => v == "none" ? null! : v, (p, c) => $"{p}/{c ?? "?"}").To("out");
        using var driver = Driver.For(builder);

        driver.Input("countries").PipeInput("NO", "Norway");
        driver.Input("payments").PipeInput("p1", "NO");
        driver.Input("countries").PipeInput("NO", null!);
        driver.Input("payments").PipeInput("p2", "NO");
        driver.Input("payments").PipeInput("p3", "none");

        Assert.Equal([("p1", "NO/Norway"), ("p2", "NO/?"), ("p3", "none/?")], driver.Output("out").ReadAll());
        Assert.Null(driver.GetKeyValueStore<string, string>("countries").Get("NO"));
    }

    [Fact]
    public void A_global_join_needs_no_repartition_after_a_key_change_and_describe_shows_the_global_store()
    {
        var (builder, countries) = WithCountries();
        builder.Stream<string, string>("payments").SelectKey((_, v) => v).Join(countries, (k, _) => k, (p, c) => p + c).To("out");
        var topology = builder.Build();

        Assert.Empty(topology.RepartitionTopics("app"));
        Assert.Contains("""
               Sub-topology: 1 for global store (will not generate tasks)
                Source: KSTREAM-SOURCE-0000000000 (topics: [countries])
                  --> KTABLE-SOURCE-0000000001
                Processor: KTABLE-SOURCE-0000000001 (stores: [countries])
                  <-- KSTREAM-SOURCE-0000000000
            """.Replace("\r\n", "\n"), topology.Describe());
    }

    [Fact]
    public void A_global_record_that_does_not_deserialize_is_dead_lettered_and_the_table_keeps_loading()
    {
        var (builder, countries) = WithCountries();
        builder.Stream<string, string>("payments").Join(countries, (_, v) => v, (p, c) => $"{p}/{c}").To("out");
        using var driver = Driver.For(builder, ErrorHandling.DeadLetter);

        driver.Input("countries").PipeRaw("XX"u8.ToArray(), [0xC3, 0x28]);
        driver.Input("countries").PipeInput("NO", "Norway");
        driver.Input("payments").PipeInput("p1", "NO");

        var dead = Assert.Single(driver.CreateOutputTopic("dlq", new SerDes.ByteArraySerDes(), new SerDes.ByteArraySerDes()).ReadRecordsToList());
        Assert.Equal(new byte[] { 0xC3, 0x28 }, dead.Value);
        Assert.Equal("countries", System.Text.Encoding.UTF8.GetString(dead.Headers.GetLastBytes(Errors.DeadLetterHeaders.Topic)));
        Assert.Equal([("p1", "NO/Norway")], driver.Output("out").ReadAll());
    }

    [Fact]
    public void A_global_record_that_does_not_deserialize_fails_by_default_naming_the_topic()
    {
        var (builder, _) = WithCountries();
        builder.Stream<string, string>("payments").To("out");
        using var driver = Driver.For(builder);

        var error = Assert.Throws<Errors.StreamsException>(() => driver.Input("countries").PipeRaw("XX"u8.ToArray(), [0xC3, 0x28]));
        Assert.Contains("countries", error.Message);
    }
}
