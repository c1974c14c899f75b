using Otto.Streams.SerDes;

namespace Otto.Streams.Stream;

/// <summary>How close in time two records must be to join (Kafka Streams' JoinWindows): a left record at t joins
/// right records with timestamps in [t - before, t + after]. A record's window closes when stream time passes
/// t + after (for right records: + before) plus the grace period; later records are dropped, and a left/outer
/// join emits a record that found no partner when its window closes.</summary>
public sealed class JoinWindows
{
    private JoinWindows(long beforeMs, long afterMs, long graceMs)
    {
        if (beforeMs + afterMs < 0) throw new ArgumentOutOfRangeException(nameof(beforeMs), "the window must not be negative");
        if (graceMs < 0) throw new ArgumentOutOfRangeException(nameof(graceMs), "the grace period must not be negative");
        (BeforeMs, AfterMs, GraceMs) = (beforeMs, afterMs, graceMs);
    }

    /// <summary>How far before a left record a right record may be, in ms.</summary>
    public long BeforeMs { get; }

    /// <summary>How far after a left record a right record may be, in ms.</summary>
    public long AfterMs { get; }

    /// <summary>How long after its window a record is still accepted, in ms.</summary>
    public long GraceMs { get; }

    /// <summary>How long the join buffers keep records: before + after + grace.</summary>
    public long RetentionMs => BeforeMs + AfterMs + GraceMs;

    /// <summary>Records at most <paramref name="difference"/> apart join; the window closes at once.</summary>
    public static JoinWindows OfTimeDifferenceWithNoGrace(TimeSpan difference) => OfTimeDifferenceAndGrace(difference, TimeSpan.Zero);

    /// <summary>Records at most <paramref name="difference"/> apart join; late records are accepted for <paramref name="grace"/>.</summary>
    public static JoinWindows OfTimeDifferenceAndGrace(TimeSpan difference, TimeSpan grace) =>
        new((long)difference.TotalMilliseconds, (long)difference.TotalMilliseconds, (long)grace.TotalMilliseconds);

    /// <summary>These windows with another reach before the left record.</summary>
    public JoinWindows Before(TimeSpan before) => new((long)before.TotalMilliseconds, AfterMs, GraceMs);

    /// <summary>These windows with another reach after the left record.</summary>
    public JoinWindows After(TimeSpan after) => new(BeforeMs, (long)after.TotalMilliseconds, GraceMs);
}

/// <summary>Serdes and store names of a stream-stream join (Kafka Streams' StreamJoined).</summary>
public sealed class StreamJoined<K, V, VO>
{
    /// <summary>Key serde (default: the streams', then the config's).</summary>
    public ISerDes<K>? KeySerDes { get; private init; }

    /// <summary>This stream's value serde.</summary>
    public ISerDes<V>? ValueSerDes { get; private init; }

    /// <summary>The other stream's value serde.</summary>
    public ISerDes<VO>? OtherValueSerDes { get; private init; }

    /// <summary>A base name for the join's stores and repartition topics.</summary>
    public string? Name { get; private init; }

    /// <summary>A join with these serdes.</summary>
    public static StreamJoined<K, V, VO> With(ISerDes<K>? keySerDes, ISerDes<V>? valueSerDes, ISerDes<VO>? otherValueSerDes) =>
        new() { KeySerDes = keySerDes, ValueSerDes = valueSerDes, OtherValueSerDes = otherValueSerDes };

    /// <summary>A join whose stores are named <c>{name}-this-join-store</c> and <c>{name}-other-join-store</c>.</summary>
    public static StreamJoined<K, V, VO> As(string name) => new() { Name = name };
}
