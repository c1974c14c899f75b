using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class StreamStreamJoinTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(0);

    private static TestDriver.TopologyTestDriver Joining(string kind, JoinWindows windows)
    {
        var builder = new StreamBuilder();
        var left = builder.Stream<string, string>("left");
        var right = builder.Stream<string, string>("right");
        var joined = kind switch
        {
            "inner" => left.Join(right, (l, r) => $"{l}+{r}", windows),
            "left" => left.LeftJoin(right, (l, r) => $"{l}+{r ?? "null"}", windows),
            _ => left.OuterJoin(right, (l, r) => $"{l ?? "null"}+{r ?? "null"}", windows),
        };
        joined.To("out");
        return Driver.For(builder);
    }

    private static void Pipe(TestDriver.TopologyTestDriver driver, string side, string value, int seconds, string key = "k") =>
        driver.Input(side).PipeInput(key, value, T0.AddSeconds(seconds));

    private static List<(string Value, long Timestamp)> Read(TestDriver.TopologyTestDriver driver) => Read(driver.Output("out"));

    private static List<(string Value, long Timestamp)> Read(TestDriver.TestOutputTopic<string, string> output) =>
        output.ReadRecordsToList().Select(r => (r.Value, r.Timestamp)).ToList();

    [Fact]
    public void Inner_join_pairs_records_of_the_same_key_at_most_the_difference_apart_at_the_later_timestamp()
    {
        using var driver = Joining("inner", JoinWindows.OfTimeDifferenceWithNoGrace(TimeSpan.FromSeconds(10)));
        Pipe(driver, "left", "a", 0);
        Pipe(driver, "right", "x", 5);
        Pipe(driver, "right", "y", 20);
        Pipe(driver, "left", "b", 15);
        Pipe(driver, "right", "other key", 15, key: "k2");

        Assert.Equal([("a+x", 5_000L), ("b+x", 15_000L), ("b+y", 20_000L)], Read(driver));
    }

    [Fact]
    public void Before_and_after_bound_each_direction()
    {
        using var driver = Joining("inner", JoinWindows.OfTimeDifferenceWithNoGrace(TimeSpan.Zero).After(TimeSpan.FromSeconds(5)));
        Pipe(driver, "left", "a", 10);
        Pipe(driver, "right", "before", 9);
        Pipe(driver, "right", "after", 15);

        Assert.Equal([("a+after", 15_000L)], Read(driver));
    }

    [Fact]
    public void Left_join_emits_an_unmatched_left_record_with_null_when_its_window_closes_not_before()
    {
        using var driver = Joining("left", JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)));
        Pipe(driver, "left", "a", 0);
        Pipe(driver, "right", "z", 12, key: "other");
        Assert.Empty(Read(driver));

        Pipe(driver, "right", "z", 13, key: "other");

        Assert.Equal([("a+null", 0L)], Read(driver));
    }

    [Fact]
    public void Left_join_emits_no_null_result_for_a_left_record_that_found_a_late_partner_within_grace()
    {
        using var driver = Joining("left", JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
        Pipe(driver, "left", "a", 0);
        Pipe(driver, "left", "b", 12);
        Pipe(driver, "right", "x", 9);
        Pipe(driver, "left", "c", 30);
        var output = driver.Output("out");

        Assert.Equal([("a+x", 9_000L), ("b+x", 12_000L)], Read(output));
        Pipe(driver, "left", "d", 60);
        Assert.Equal([("c+null", 30_000L)], Read(output));
    }

    [Fact]
    public void Outer_join_emits_unmatched_records_of_both_sides()
    {
        using var driver = Joining("outer", JoinWindows.OfTimeDifferenceWithNoGrace(TimeSpan.FromSeconds(10)));
        Pipe(driver, "left", "a", 0);
        Pipe(driver, "right", "x", 1, key: "k2");
        Pipe(driver, "right", "tick", 30, key: "k3");

        Assert.Equal([("a+null", 0L), ("null+x", 1_000L)], Read(driver));
    }

    [Fact]
    public void A_record_beyond_grace_is_dropped()
    {
        using var driver = Joining("left", JoinWindows.OfTimeDifferenceWithNoGrace(TimeSpan.FromSeconds(10)));
        Pipe(driver, "right", "x", 20);
        Pipe(driver, "left", "late", 5);
        Pipe(driver, "left", "tick", 60, key: "k2");

        Assert.DoesNotContain(Read(driver), r => r.Value.StartsWith("late"));
    }

    [Fact]
    public void Null_keys_and_values_do_not_join()
    {
        using var driver = Joining("inner", JoinWindows.OfTimeDifferenceWithNoGrace(TimeSpan.FromSeconds(10)));
        driver.Input("left").PipeInput(null!, "a", T0);
        driver.Input("right").PipeInput(null!, "x", T0);
        driver.Input("left").PipeInput("k", null!, T0);
        driver.Input("right").PipeInput("k", "x", T0);

        Assert.Empty(Read(driver));
    }

    [Fact]
    public void Streams_rekeyed_before_a_join_are_both_repartitioned()
    {
        var builder = new StreamBuilder();
        var left = builder.Stream<string, string>("left").SelectKey((_, v) => v);
        var right = builder.Stream<string, string>("right").SelectKey((_, v) => v);
        left.Join(right, (l, r) => l + r, JoinWindows.OfTimeDifferenceWithNoGrace(TimeSpan.FromSeconds(1))).To("out");
        var topology = builder.Build();

        Assert.Equal(2, topology.RepartitionTopics("app").Count);
        using var driver = new TestDriver.TopologyTestDriver(topology, Driver.Config());
        driver.Input("left").PipeInput("1", "a", T0);
        driver.Input("right").PipeInput("2", "a", T0);
        Assert.Equal([("a", "aa")], driver.Output("out").ReadAll());
    }
}
