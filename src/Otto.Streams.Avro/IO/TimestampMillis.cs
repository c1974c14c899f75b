namespace Otto.Streams.Avro.IO;

/// <summary>Conversions for the timestamp-millis logical type.</summary>
internal static class TimestampMillis
{
    private static readonly long Min = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long Max = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>The UTC instant, or null when outside what <see cref="DateTimeOffset"/> can hold.</summary>
    public static DateTimeOffset? FromUnixMillis(long millis) =>
        millis < Min || millis > Max ? null : DateTimeOffset.FromUnixTimeMilliseconds(millis);
}
