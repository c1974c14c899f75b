using System.Numerics;
using Avro;

namespace Otto.Contracts;

/// <summary>
/// Conversions between Apache.Avro's values of logical types and the .NET types the payments code computes with,
/// used by the generated classes' C# face (so nowhere else).
/// </summary>
public static class AvroValues
{
    /// <summary>
    /// <paramref name="value"/> as an <see cref="AvroDecimal"/> of exactly <paramref name="scale"/> fractional digits:
    /// Apache's encoder refuses any other scale, and .NET decimals carry whatever scale their arithmetic left.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value has more fractional digits than the scale (an amount is
    /// never rounded silently).</exception>
    public static AvroDecimal Decimal(decimal value, int scale)
    {
        if (decimal.Round(value, scale) != value)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"has more than {scale} fractional digits");
        var unscaled = new BigInteger(decimal.Truncate(value)) * BigInteger.Pow(10, scale)
                       + new BigInteger((value - decimal.Truncate(value)) * Pow10(scale));
        return new AvroDecimal(unscaled, scale);
    }

    /// <summary>A timestamp Apache.Avro decoded (UTC) or that code set, as a UTC <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime()),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
    };

    private static decimal Pow10(int scale)
    {
        var result = 1m;
        for (var i = 0; i < scale; i++) result *= 10;
        return result;
    }
}
