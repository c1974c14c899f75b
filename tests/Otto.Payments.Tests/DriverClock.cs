using System.Reflection;
using Streamiz.Kafka.Net.Mock;

namespace Otto.Payments.Tests;

/// <summary>
/// The mock wall clock inside a Streamiz 1.8.2 <see cref="TopologyTestDriver"/> (SYNC_TASK): read, set to a fixed
/// start, and moved by exactly what a test asks.
/// <para>Why not <see cref="TopologyTestDriver.AdvanceWallClockTime"/> alone: Streamiz starts the clock at
/// DateTime.Now with no setter, and AdvanceWallClockTime(d) moves it by d, runs the due punctuations, then, as long
/// as a punctuation fired or a record crossed an internal topic, moves it again (by d/10, or by d when only records
/// moved) and repeats, up to 100 rounds. Advancing 9 minutes over a 10-second sweep ends about 99 minutes later, with
/// a sweep in each round (pinned by <see cref="StreamizDriverTests"/>). So the clock is moved here through the
/// driver's own clock object, and AdvanceWallClockTime(TimeSpan.Zero) then runs the punctuations that became due and
/// drains the internal topics without moving it: one punctuation at the end of each advance, as in Kafka Streams'
/// driver. Reflection, because Streamiz keeps that clock internal; it fails loudly if a Streamiz upgrade renames it.</para>
/// </summary>
internal sealed class DriverClock
{
    private readonly object _provider;
    private readonly PropertyInfo _now;
    private readonly MethodInfo _advance;

    public DriverClock(TopologyTestDriver driver)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var behavior = typeof(TopologyTestDriver).GetField("behavior", Private)?.GetValue(driver)
            ?? throw Changed("TopologyTestDriver.behavior");
        _provider = behavior.GetType().GetField("wallClockTimeProvider", Private)?.GetValue(behavior)
            ?? throw Changed($"{behavior.GetType().Name}.wallClockTimeProvider (SYNC_TASK mode only)");
        _now = _provider.GetType().GetProperty("WallClockTime") ?? throw Changed("MockWallClockTimeProvider.WallClockTime");
        _advance = _provider.GetType().GetMethod("Advance", [typeof(TimeSpan)]) ?? throw Changed("MockWallClockTimeProvider.Advance");
    }

    /// <summary>The driver's wall clock, what processors read as ProcessorContext.WallClockTime.</summary>
    public DateTimeOffset Now => DateTimeOffset.FromUnixTimeMilliseconds((long)_now.GetValue(_provider)!);

    /// <summary>Moves the clock by <paramref name="by"/> (whole milliseconds) and runs nothing.</summary>
    public void Move(TimeSpan by) => _advance.Invoke(_provider, [by]);

    private static InvalidOperationException Changed(string member) =>
        new($"Streamiz's TopologyTestDriver no longer has {member}; DriverClock was written for Streamiz 1.8.2.");
}
