using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.IO;

/// <summary>
/// The .NET values of the logical types other than decimal, and their encodings: date ↔ <see cref="DateOnly"/>
/// (days since 1970-01-01), time-millis/-micros ↔ <see cref="TimeOnly"/>, timestamp-millis/-micros ↔ UTC
/// <see cref="DateTimeOffset"/>, local-timestamp-millis/-micros ↔ <see cref="DateTime"/> (unspecified kind: a
/// wall-clock time), uuid ↔ <see cref="Guid"/>. Encoded values outside what the .NET type holds are errors;
/// writing truncates ticks finer than the logical type's unit.
/// </summary>
internal static class LogicalValues
{
    private const int EpochDayNumber = 719_162; // DateOnly(1970, 1, 1).DayNumber
    private const long EpochTicks = 621_355_968_000_000_000; // DateTime.UnixEpoch.Ticks
    private const long TicksPerMicrosecond = 10;

    public static DateOnly? Date(long days) =>
        days >= -EpochDayNumber && days <= DateOnly.MaxValue.DayNumber - EpochDayNumber ? DateOnly.FromDayNumber((int)days + EpochDayNumber) : null;

    public static int Days(DateOnly date) => date.DayNumber - EpochDayNumber;

    public static TimeOnly? Time(long units, long ticksPerUnit) =>
        units >= 0 && units < TimeSpan.TicksPerDay / ticksPerUnit ? new TimeOnly(units * ticksPerUnit) : null;

    public static long TimeUnits(TimeOnly time, long ticksPerUnit) => time.Ticks / ticksPerUnit;

    public static DateTimeOffset? Timestamp(long units, long ticksPerUnit) =>
        Ticks(units, ticksPerUnit) is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public static long TimestampUnits(DateTimeOffset value, long ticksPerUnit) => FromTicks(value.UtcTicks, ticksPerUnit);

    public static DateTime? LocalTimestamp(long units, long ticksPerUnit) =>
        Ticks(units, ticksPerUnit) is { } ticks ? new DateTime(ticks, DateTimeKind.Unspecified) : null;

    public static long LocalTimestampUnits(DateTime value, long ticksPerUnit) => FromTicks(value.Ticks, ticksPerUnit);

    public static Guid? Uuid(string text) => Guid.TryParseExact(text, "D", out var guid) ? guid : null;

    /// <summary>Ticks per unit of a millis or micros logical type.</summary>
    public static long UnitOf(LogicalType logicalType) =>
        logicalType.Name.EndsWith("-micros", StringComparison.Ordinal) ? TicksPerMicrosecond : TimeSpan.TicksPerMillisecond;

    /// <summary>The .NET value of an int, long or string under <paramref name="logicalType"/>; the physical value
    /// itself for logical types without one (decimal is read from bytes separately).</summary>
    /// <exception cref="AvroException">The value is out of the .NET type's range (message without location).</exception>
    public static object FromPhysical(LogicalType logicalType, object physical)
    {
        object? value = (logicalType.Name, physical) switch
        {
            ("date", int days) => Date(days),
            ("time-millis", int ms) => Time(ms, TimeSpan.TicksPerMillisecond),
            ("time-micros", long us) => Time(us, TicksPerMicrosecond),
            ("timestamp-millis" or "timestamp-micros", long n) => Timestamp(n, UnitOf(logicalType)),
            ("local-timestamp-millis" or "local-timestamp-micros", long n) => LocalTimestamp(n, UnitOf(logicalType)),
            ("uuid", string s) => Uuid(s),
            _ => physical,
        };
        return value ?? throw new AvroException(logicalType.Name == "uuid"
            ? $"uuid '{physical}' is not in the RFC 4122 form"
            : $"{logicalType.Name} {physical} is out of range");
    }

    /// <summary>The int, long or string that encodes <paramref name="value"/> under <paramref name="logicalType"/>,
    /// or null when <paramref name="value"/> is not the logical type's .NET type.</summary>
    public static object? ToPhysical(LogicalType logicalType, object? value) => (logicalType.Name, value) switch
    {
        ("date", DateOnly d) => Days(d),
        ("time-millis", TimeOnly t) => (int)TimeUnits(t, TimeSpan.TicksPerMillisecond),
        ("time-micros", TimeOnly t) => TimeUnits(t, TicksPerMicrosecond),
        ("timestamp-millis" or "timestamp-micros", DateTimeOffset t) => TimestampUnits(t, UnitOf(logicalType)),
        ("local-timestamp-millis" or "local-timestamp-micros", DateTime t) => LocalTimestampUnits(t, UnitOf(logicalType)),
        ("uuid", Guid g) => g.ToString("D"),
        _ => null,
    };

    private static long? Ticks(long units, long ticksPerUnit)
    {
        var min = -EpochTicks / ticksPerUnit;
        var max = (DateTime.MaxValue.Ticks - EpochTicks) / ticksPerUnit;
        return units >= min && units <= max ? EpochTicks + units * ticksPerUnit : null;
    }

    // Floor division, so an instant before 1970 with ticks finer than the unit truncates towards the past.
    private static long FromTicks(long ticks, long ticksPerUnit)
    {
        var (quotient, remainder) = Math.DivRem(ticks - EpochTicks, ticksPerUnit);
        return remainder < 0 ? quotient - 1 : quotient;
    }
}
