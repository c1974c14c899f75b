using System.Reflection;
using Streamiz.Kafka.Net.Mock;

namespace Otto.Bench;

/// <summary>
/// The mock wall clock of a Streamiz 1.8.2 <see cref="TopologyTestDriver"/> (SYNC_TASK), set directly. Streamiz starts
/// it at DateTime.Now with no setter, and its AdvanceWallClockTime keeps moving it while punctuations fire; moving the
/// clock object and then calling AdvanceWallClockTime(TimeSpan.Zero) runs each due punctuation once, at the time set
/// (the payments tests' DriverClock does the same and pins that behaviour). Reflection, because Streamiz keeps the clock
/// internal; it fails loudly if an upgrade renames it.
/// </summary>
internal sealed class DriverWallClock
{
    private readonly object _provider;
    private readonly PropertyInfo _now;
    private readonly MethodInfo _advance;

    public DriverWallClock(TopologyTestDriver driver)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var behavior = typeof(TopologyTestDriver).GetField("behavior", Private)?.GetValue(driver) ?? throw Changed("TopologyTestDriver.behavior");
        _provider = behavior.GetType().GetField("wallClockTimeProvider", Private)?.GetValue(behavior)
            ?? throw Changed($"{behavior.GetType().Name}.wallClockTimeProvider (SYNC_TASK mode only)");
        _now = _provider.GetType().GetProperty("WallClockTime") ?? throw Changed("MockWallClockTimeProvider.WallClockTime");
        _advance = _provider.GetType().GetMethod("Advance", [typeof(TimeSpan)]) ?? throw Changed("MockWallClockTimeProvider.Advance");
    }

    /// <summary>What processors read as ProcessorContext.WallClockTime, in ms since the epoch.</summary>
    public long NowMs => (long)_now.GetValue(_provider)!;

    /// <summary>Sets the clock to <paramref name="ms"/> (ms since the epoch) and runs nothing.</summary>
    public void Set(long ms) => _advance.Invoke(_provider, [TimeSpan.FromMilliseconds(ms - NowMs)]);

    private static InvalidOperationException Changed(string member) =>
        new($"Streamiz's TopologyTestDriver no longer has {member}; DriverWallClock was written for Streamiz 1.8.2.");
}
