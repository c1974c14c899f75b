using Otto.Streams.SerDes;
using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

public class WindowedAggregateTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(0);
    private static readonly TimeWindowedSerDes<string> WindowedKeys = new(Driver.Strings, TimeSpan.FromSeconds(10));

    private static TestDriver.TopologyTestDriver Counting(TimeWindows windows)
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").GroupByKey().WindowedBy(windows).Count(Materialized<string, long>.As("windowed-counts"))
            .ToStream().To("out", WindowedKeys, Driver.Longs);
        return Driver.For(builder);
    }

    private static List<(string Key, long Start, long Count)> Read(TestDriver.TopologyTestDriver driver) =>
        driver.CreateOutputTopic("out", WindowedKeys, Driver.Longs).ReadRecordsToList().Select(r => (r.Key.Key, r.Key.Window.StartMs, r.Value)).ToList();

    [Fact]
    public void Tumbling_windows_start_at_multiples_of_the_size_and_exclude_their_end()
    {
        using var driver = Counting(TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)));
        var pipe = driver.Input("in");
        pipe.PipeInput("a", "x", T0.AddSeconds(0));
        pipe.PipeInput("a", "x", T0.AddMilliseconds(9_999));
        pipe.PipeInput("a", "x", T0.AddSeconds(10));

        Assert.Equal([("a", 0L, 1L), ("a", 0L, 2L), ("a", 10_000L, 1L)], Read(driver));
        Assert.Equal(2L, driver.GetWindowStore<string, long>("windowed-counts").Fetch("a", 0));
    }

    [Fact]
    public void Hopping_windows_count_a_record_in_every_window_it_falls_in()
    {
        using var driver = Counting(TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)).AdvanceBy(TimeSpan.FromSeconds(5)));
        driver.Input("in").PipeInput("a", "x", T0.AddSeconds(12));

        Assert.Equal([("a", 5_000L, 1L), ("a", 10_000L, 1L)], Read(driver));
    }

    [Fact]
    public void A_record_for_a_window_closed_beyond_grace_is_dropped_and_one_within_grace_is_counted()
    {
        long late = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "otto.streams.late.records") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag is { Key: "node", Value: "KSTREAM-AGGREGATE-0000000001" }) Interlocked.Add(ref late, value);
        });
        listener.Start();
        using var driver = Counting(TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
        var pipe = driver.Input("in");
        pipe.PipeInput("a", "x", T0.AddSeconds(1));
        pipe.PipeInput("a", "x", T0.AddSeconds(14));
        pipe.PipeInput("a", "late but in grace", T0.AddSeconds(2));
        pipe.PipeInput("a", "x", T0.AddSeconds(15));
        pipe.PipeInput("a", "too late", T0.AddSeconds(3));

        Assert.Equal([("a", 0L, 1L), ("a", 10_000L, 1L), ("a", 0L, 2L), ("a", 10_000L, 2L)], Read(driver));
        Assert.Equal(2L, driver.GetWindowStore<string, long>("windowed-counts").Fetch("a", 0));
        Assert.Equal(1, Interlocked.Read(ref late));
    }

    [Fact]
    public void Expired_windows_leave_the_store_once_stream_time_passes_size_plus_grace()
    {
        using var driver = Counting(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromSeconds(10)));
        var pipe = driver.Input("in");
        pipe.PipeInput("a", "x", T0.AddSeconds(1));
        pipe.PipeInput("b", "x", T0.AddSeconds(25));
        var store = driver.GetWindowStore<string, long>("windowed-counts");

        Assert.Equal([("b", 20_000L, 1L)], store.All());
        Assert.Empty(store.Fetch("a", 0, 100_000));
    }

    [Fact]
    public void Windowed_reduce_and_aggregate_fold_per_window()
    {
        var builder = new StreamBuilder();
        var grouped = builder.Stream<string, string>("in").GroupByKey().WindowedBy(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromSeconds(10)));
        grouped.Reduce((a, b) => a + b).ToStream().To("reduced", WindowedKeys, Driver.Strings);
        grouped.Aggregate(() => "", (_, v, agg) => agg + v.ToUpperInvariant(), Materialized<string, string>.As("agg")).ToStream().To("aggregated", WindowedKeys, Driver.Strings);
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("k", "a", T0.AddSeconds(1));
        driver.Input("in").PipeInput("k", "b", T0.AddSeconds(2));
        driver.Input("in").PipeInput("k", "c", T0.AddSeconds(11));

        Assert.Equal(["a", "ab", "c"], driver.CreateOutputTopic("reduced", WindowedKeys, Driver.Strings).ReadValuesToList());
        Assert.Equal(["A", "AB", "C"], driver.CreateOutputTopic("aggregated", WindowedKeys, Driver.Strings).ReadValuesToList());
    }

    [Fact]
    public void Windows_after_a_key_change_are_counted_after_the_repartition_topic()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").GroupBy((_, v) => v).WindowedBy(TimeWindows.OfSizeWithNoGrace(TimeSpan.FromSeconds(10)))
            .Count().ToStream().To("out", WindowedKeys, Driver.Longs);
        using var driver = Driver.For(builder);

        driver.Input("in").PipeInput("1", "a", T0);
        driver.Input("in").PipeInput("2", "a", T0.AddSeconds(1));

        Assert.Equal([("a", 0L, 1L), ("a", 0L, 2L)], Read(driver));
        Assert.Single(builder.Build().RepartitionTopics("x"));
    }
}
