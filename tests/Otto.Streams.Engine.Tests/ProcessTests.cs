using Otto.Streams.Processors;
using Otto.Streams.State;

namespace Otto.Streams.Engine.Tests;

public class ProcessTests
{
    /// <summary>Counts records per key in a store; emits the totals on every punctuation of the chosen clock.</summary>
    private sealed class Counter(PunctuationType clock) : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _context = null!;
        private IKeyValueStore<string, string> _counts = null!;

        public void Init(IProcessorContext<string, string> context)
        {
            _context = context;
            _counts = context.GetStateStore<IKeyValueStore<string, string>>("counts");
            context.Schedule(TimeSpan.FromSeconds(10), clock, Emit);
        }

        public void Process(Record<string, string> record)
        {
            var count = int.Parse(_counts.Get(record.Key) ?? "0") + 1;
            _counts.Put(record.Key, count.ToString());
        }

        private void Emit(long time)
        {
            using var all = _counts.All();
            foreach (var (key, count) in all) _context.Forward(new Record<string, string>(key, $"{count}@{time}", time));
        }
    }

    private static StreamBuilder Build(PunctuationType clock)
    {
        var builder = new StreamBuilder();
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore("counts"), Driver.Strings, Driver.Strings));
        builder.Stream<string, string>("in").Process(() => new Counter(clock), "counter", "counts").To("out");
        return builder;
    }

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Processor_state_survives_between_records_and_is_readable_from_the_driver()
    {
        using var driver = Driver.For(Build(PunctuationType.WallClockTime));
        var input = driver.Input("in");
        input.PipeInput("a", "x");
        input.PipeInput("a", "y");
        input.PipeInput("b", "z");

        var counts = driver.GetKeyValueStore<string, string>("counts");
        Assert.Equal("2", counts.Get("a"));
        Assert.Equal("1", counts.Get("b"));
        Assert.True(driver.Output("out").IsEmpty);
    }

    [Fact]
    public void Wall_clock_punctuation_fires_when_the_clock_advances_even_without_records()
    {
        using var driver = Driver.For(Build(PunctuationType.WallClockTime));
        driver.Input("in").PipeInput("a", "x");
        var output = driver.Output("out");

        driver.AdvanceWallClockTime(TimeSpan.FromSeconds(9));
        Assert.True(output.IsEmpty);

        driver.AdvanceWallClockTime(TimeSpan.FromSeconds(1));
        var at10 = (T0 + TimeSpan.FromSeconds(10)).ToUnixTimeMilliseconds();
        Assert.Equal([("a", $"1@{at10}")], output.ReadAll());

        // A jump over several intervals punctuates once.
        driver.AdvanceWallClockTime(TimeSpan.FromSeconds(35));
        Assert.Single(output.ReadAll());
    }

    [Fact]
    public void Stream_time_punctuation_follows_record_timestamps_not_the_wall_clock()
    {
        using var driver = Driver.For(Build(PunctuationType.StreamTime));
        var input = driver.Input("in");
        var output = driver.Output("out");

        input.PipeInput("a", "x", T0);
        driver.AdvanceWallClockTime(TimeSpan.FromMinutes(5));
        Assert.True(output.IsEmpty);

        input.PipeInput("a", "y", T0 + TimeSpan.FromSeconds(5));
        Assert.True(output.IsEmpty);

        input.PipeInput("b", "z", T0 + TimeSpan.FromSeconds(10));
        Assert.Equal([("a", $"2@{(T0 + TimeSpan.FromSeconds(10)).ToUnixTimeMilliseconds()}"), ("b", $"1@{(T0 + TimeSpan.FromSeconds(10)).ToUnixTimeMilliseconds()}")],
            output.ReadAll());

        // An out-of-order (older) record does not move stream time back or punctuate.
        input.PipeInput("c", "late", T0);
        Assert.True(output.IsEmpty);
    }

    [Fact]
    public void A_processor_must_name_the_stores_it_uses()
    {
        var builder = new StreamBuilder();
        builder.AddStateStore(Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore("counts"), Driver.Strings, Driver.Strings));
        builder.Stream<string, string>("in").Process(() => new Counter(PunctuationType.StreamTime), "counter").To("out");

        var error = Assert.ThrowsAny<Exception>(() => Driver.For(builder));
        Assert.Contains("not connected to store 'counts'", error.Message);
    }
}
