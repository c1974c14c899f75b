namespace Otto.Streams.Stream;

/// <summary>A time window [Start, End) in ms since epoch: Start inclusive, End exclusive, as Kafka Streams' TimeWindow.</summary>
public readonly record struct TimeWindow(long StartMs, long EndMs);

/// <summary>A windowed aggregate's key: the record key and the window it was aggregated in.</summary>
public readonly record struct Windowed<K>(K Key, TimeWindow Window);

/// <summary>Fixed-size windows (Kafka Streams' TimeWindows): tumbling when the advance equals the size, hopping
/// when it is smaller. A record at t falls in every window with start ≤ t &lt; start + size, starts being multiples
/// of the advance. A window accepts records until stream time passes its end plus the grace period; later
/// records are dropped and counted.</summary>
public sealed class TimeWindows
{
    private TimeWindows(long sizeMs, long advanceMs, long graceMs)
    {
        if (sizeMs <= 0) throw new ArgumentOutOfRangeException(nameof(sizeMs), "the window size must be positive");
        if (advanceMs <= 0 || advanceMs > sizeMs) throw new ArgumentOutOfRangeException(nameof(advanceMs), "the advance must be positive and at most the size");
        if (graceMs < 0) throw new ArgumentOutOfRangeException(nameof(graceMs), "the grace period must not be negative");
        (SizeMs, AdvanceMs, GraceMs) = (sizeMs, advanceMs, graceMs);
    }

    /// <summary>The window size in ms.</summary>
    public long SizeMs { get; }

    /// <summary>The distance between window starts in ms.</summary>
    public long AdvanceMs { get; }

    /// <summary>How long after its end a window still accepts out-of-order records, in ms.</summary>
    public long GraceMs { get; }

    /// <summary>How long the store keeps a window: size plus grace.</summary>
    public long RetentionMs => SizeMs + GraceMs;

    /// <summary>Tumbling windows of <paramref name="size"/> that close at their end.</summary>
    public static TimeWindows OfSizeWithNoGrace(TimeSpan size) => OfSizeAndGrace(size, TimeSpan.Zero);

    /// <summary>Tumbling windows of <paramref name="size"/> that accept late records for <paramref name="grace"/> after their end.</summary>
    public static TimeWindows OfSizeAndGrace(TimeSpan size, TimeSpan grace) =>
        new((long)size.TotalMilliseconds, (long)size.TotalMilliseconds, (long)grace.TotalMilliseconds);

    /// <summary>Hopping windows: a new window every <paramref name="advance"/>.</summary>
    public TimeWindows AdvanceBy(TimeSpan advance) => new(SizeMs, (long)advance.TotalMilliseconds, GraceMs);

    /// <summary>The windows a record at <paramref name="timestampMs"/> falls in, earliest first.</summary>
    public IEnumerable<TimeWindow> WindowsFor(long timestampMs)
    {
        for (var start = Math.Max(0, timestampMs - SizeMs + AdvanceMs) / AdvanceMs * AdvanceMs; start <= timestampMs; start += AdvanceMs)
            yield return new TimeWindow(start, start + SizeMs);
    }
}
