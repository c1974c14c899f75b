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

    /// <summary>
    /// <paramref name="value"/> as a .NET decimal with the same scale, so 125.50 stays "125.50" (Apache's own
    /// conversion drops trailing zeros).
    /// </summary>
    /// <exception cref="OverflowException">The value does not fit a .NET decimal (96 bits, scale 28 at most).</exception>
    public static decimal ToDecimal(AvroDecimal value)
    {
        var magnitude = BigInteger.Abs(value.UnscaledValue);
        if (value.Scale > 28 || magnitude.GetBitLength() > 96) throw new OverflowException($"{value} does not fit a .NET decimal");
        Span<byte> bytes = stackalloc byte[12];
        magnitude.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        return new decimal(BitConverter.ToInt32(bytes[..4]), BitConverter.ToInt32(bytes[4..8]), BitConverter.ToInt32(bytes[8..]),
            value.UnscaledValue.Sign < 0, (byte)value.Scale);
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
