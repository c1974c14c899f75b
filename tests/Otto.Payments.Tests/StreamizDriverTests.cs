using System.Globalization;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Payments.Tests;

/// <summary>How Streamiz 1.8.2's TopologyTestDriver moves its wall clock, which <see cref="DriverClock"/> works around.
/// The first test pins Streamiz's behaviour: when it fails after a Streamiz upgrade, AdvanceWallClockTime may be
/// enough on its own and DriverClock can go.</summary>
public class StreamizDriverTests
{
    [Fact]
    public void AdvanceWallClockTime_keeps_moving_the_clock_and_punctuating_after_the_requested_time()
    {
        using var driver = TickingDriver(out var ticks);
        var start = new DriverClock(driver).Now;

        driver.AdvanceWallClockTime(TimeSpan.FromMinutes(9));

        // It fired at 9:00 as asked, then moved on by a tenth of the advance per round while something fired, for its
        // 100 rounds: 100 ticks, the last at 98:06, and the clock at 99:00.
        var fired = ticks.ReadValueList().Select(t => After(start, t)).ToList();
        Assert.Equal([TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(54)], fired.Take(2));
        Assert.Equal(100, fired.Count);
        Assert.Equal(TimeSpan.FromMinutes(99), new DriverClock(driver).Now - start);
    }

    [Fact]
    public void Moving_the_clock_then_advancing_by_zero_punctuates_once_at_the_new_time_and_stops_there()
    {
        using var driver = TickingDriver(out var ticks);
        var clock = new DriverClock(driver);
        var start = clock.Now;

        clock.Move(TimeSpan.FromMinutes(9));
        driver.AdvanceWallClockTime(TimeSpan.Zero);
        clock.Move(TimeSpan.FromSeconds(9));
        driver.AdvanceWallClockTime(TimeSpan.Zero); // 9 s since the last tick: not due
        clock.Move(TimeSpan.FromSeconds(1));
        driver.AdvanceWallClockTime(TimeSpan.Zero);

        Assert.Equal([TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(10)],
            ticks.ReadValueList().Select(t => After(start, t)));
        Assert.Equal(TimeSpan.FromSeconds(550), clock.Now - start);
    }

    // A tick's time (ms since the epoch) as time since the start.
    private static TimeSpan After(DateTimeOffset start, string tick) =>
        TimeSpan.FromMilliseconds(long.Parse(tick, CultureInfo.InvariantCulture) - start.ToUnixTimeMilliseconds());

    // A topology whose only processor forwards the punctuation time every 10 s of wall-clock time to "ticks".
    private static TopologyTestDriver TickingDriver(out TestOutputTopic<string, string> ticks)
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in")
            .Transform(TransformerBuilder.New<string, string, string, string>().Transformer<Ticker>().Build(), "ticker")
            .To("ticks");
        var driver = new TopologyTestDriver(builder.Build(), new StreamConfig<StringSerDes, StringSerDes> { ApplicationId = "ticking" },
            TopologyTestDriver.Mode.SYNC_TASK);
        driver.CreateInputTopic<string, string>("in"); // creates the task: the schedule starts now
        ticks = driver.CreateOutputTopic<string, string>("ticks", TimeSpan.Zero);
        return driver;
    }

    private sealed class Ticker : ITransformer<string, string, string, string>
    {
        public void Init(ProcessorContext<string, string> context) =>
            context.Schedule(TimeSpan.FromSeconds(10), PunctuationType.PROCESSING_TIME,
                now => context.Forward("tick", now.ToString(CultureInfo.InvariantCulture)));

        public Record<string, string> Process(Record<string, string> record) => null!;

        public void Close() { }
    }
}
