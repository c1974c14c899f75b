using System.Numerics;

namespace Otto.Streams.Avro.IO;

/// <summary>
/// Converts <see cref="decimal"/> to and from the decimal logical type's big-endian two's-complement unscaled
/// value. The common case (an unscaled value within 128 bits) runs on <see cref="Int128"/> without allocating;
/// the rest goes through <see cref="BigInteger"/>.
/// </summary>
internal static class DecimalEncoding
{
    /// <summary>Room for any value the fast path writes (a 128-bit two's complement).</summary>
    public const int MaxFastBytes = 16;

    // 10^0 .. 10^38: every power an Int128 unscaled value can need.
    private static readonly UInt128[] Powers = Enumerable.Range(0, 39).Select(i => (UInt128)BigInteger.Pow(10, i)).ToArray();

    /// <summary>Writes the encoding into <paramref name="destination"/> (at least <see cref="MaxFastBytes"/> or
    /// the fixed size long) without allocating; a fixed size sign-extends to exactly that many bytes. False when
    /// the value needs <see cref="ToBytes"/> (beyond 128 bits, or an error to report).</summary>
    /// <exception cref="AvroException">Too large for the fixed size.</exception>
    public static bool TryWrite(decimal value, int precision, int scale, int? fixedSize, Span<byte> destination, out int length)
    {
        length = 0;
        if (!TryUnscaled(value, precision, scale, out var unscaled)) return false;
        var bits = 129 - (int)Int128.LeadingZeroCount(Int128.IsNegative(unscaled) ? ~unscaled : unscaled);
        length = Math.Max(1, (bits + 7) / 8);
        if (fixedSize is { } size)
        {
            if (length > size) throw new AvroException($"decimal {value} does not fit in fixed({size})");
            length = size;
        }
        // The arithmetic shift sign-extends, so a fixed wider than the value gets 0x00 or 0xff lead bytes.
        for (var i = 0; i < length; i++)
        {
            var shift = 8 * (length - 1 - i);
            destination[i] = shift >= 128 ? (byte)(Int128.IsNegative(unscaled) ? 0xff : 0) : (byte)(unscaled >> shift);
        }
        return true;
    }

    /// <summary>The encoding as a new array (defaults, JSON, and values the fast path cannot hold).</summary>
    public static byte[] ToBytes(decimal value, int precision, int scale, int? fixedSize)
    {
        var unscaled = UnscaledBig(value, scale);
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

    /// <summary>The value of the encoded bytes at <paramref name="scale"/>; <paramref name="offset"/> is for the
    /// error message.</summary>
    public static decimal FromBytes(ReadOnlySpan<byte> bytes, int scale, int offset)
    {
        if (bytes.Length is > 0 and <= MaxFastBytes && scale <= 28)
        {
            Int128 v = (sbyte)bytes[0];
            for (var i = 1; i < bytes.Length; i++) v = (v << 8) | bytes[i];
            var negative = Int128.IsNegative(v);
            var magnitude = negative ? (UInt128)(-(v + 1)) + 1 : (UInt128)v;
            if (magnitude >> 96 == 0)
            {
                return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, (byte)scale);
            }
        }
        return FromBytesSlow(bytes, scale, offset);
    }

    private static decimal FromBytesSlow(ReadOnlySpan<byte> bytes, int scale, int offset)
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

    // The unscaled value at the schema's scale, when it and the precision check fit 128-bit arithmetic; false
    // sends the caller to the BigInteger path, which also produces the errors.
    private static bool TryUnscaled(decimal value, int precision, int scale, out Int128 unscaled)
    {
        unscaled = 0;
        if (precision > 38 || scale > 38) return false;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var valueScale = (bits[3] >> 16) & 0xff;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        if (valueScale <= scale)
        {
            var factor = Powers[scale - valueScale];
            if (mantissa != 0 && mantissa > UInt128.MaxValue / factor) return false;
            mantissa *= factor;
        }
        else
        {
            var divisor = Powers[valueScale - scale];
            if (mantissa % divisor != 0) return false;
            mantissa /= divisor;
        }
        if (mantissa >= Powers[precision]) return false;
        unscaled = value < 0 ? -(Int128)mantissa : (Int128)mantissa;
        return true;
    }

    private static BigInteger UnscaledBig(decimal value, int scale)
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
