using System.Numerics;

namespace Otto.Streams.Avro.IO;

/// <summary>Converts <see cref="decimal"/> to and from the decimal logical type's two's-complement bytes.</summary>
internal static class DecimalEncoding
{
    public static byte[] ToBytes(decimal value, int precision, int scale, int? fixedSize)
    {
        var unscaled = Unscaled(value, scale);
        if (BigInteger.Abs(unscaled).ToString().Length > precision && !unscaled.IsZero)
            throw new AvroException($"decimal {value} has more than {precision} digits (precision {precision}, scale {scale})");
        var bytes = unscaled.ToByteArray(isUnsigned: false, isBigEndian: true);
        if (fixedSize is not { } size) return bytes;
        if (bytes.Length > size) throw new AvroException($"decimal {value} does not fit in fixed({size})");
        var result = new byte[size];
        // Sign-extend into the leading bytes.
        if (unscaled.Sign < 0) result.AsSpan(0, size - bytes.Length).Fill(0xff);
        bytes.CopyTo(result, size - bytes.Length);
        return result;
    }

    public static decimal FromBytes(ReadOnlySpan<byte> bytes, int scale, int offset)
    {
        var unscaled = new BigInteger(bytes, isUnsigned: false, isBigEndian: true);
        // System.Decimal holds a 96-bit magnitude with scale 0..28: drop trailing zeros that don't fit.
        while (scale > 28 && !unscaled.IsZero && (unscaled % 10).IsZero)
        {
            unscaled /= 10;
            scale--;
        }
        var magnitude = BigInteger.Abs(unscaled);
        if (scale > 28 || magnitude.GetBitLength() > 96)
            throw new AvroException($"corrupt Avro data at offset {offset}: decimal {unscaled}E-{scale} is out of the range of System.Decimal");
        Span<byte> le = stackalloc byte[12];
        magnitude.TryWriteBytes(le, out _, isUnsigned: true, isBigEndian: false);
        var lo = BitConverter.ToInt32(le[..4]);
        var mid = BitConverter.ToInt32(le[4..8]);
        var hi = BitConverter.ToInt32(le[8..12]);
        return new decimal(lo, mid, hi, unscaled.Sign < 0, (byte)scale);
    }

    private static BigInteger Unscaled(decimal value, int scale)
    {
        var bits = decimal.GetBits(value);
        var valueScale = (bits[3] >> 16) & 0xff;
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        if (value < 0) mantissa = -mantissa;
        if (valueScale <= scale) return mantissa * BigInteger.Pow(10, scale - valueScale);
        var divisor = BigInteger.Pow(10, valueScale - scale);
        var quotient = BigInteger.DivRem(mantissa, divisor, out var remainder);
        if (!remainder.IsZero)
            throw new AvroException($"decimal {value} has more than {scale} fractional digits; the schema's scale is {scale} (values are not rounded)");
        return quotient;
    }
}
