using System.Buffers.Binary;
using System.Text;

namespace Otto.Streams.Avro.IO;

/// <summary>
/// Writes the Avro binary encoding into a growable buffer. Generated types and the generic writer call it;
/// it checks nothing about schemas, only encodes values.
/// </summary>
public sealed class AvroBinaryWriter
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a writer with an initial buffer of <paramref name="initialCapacity"/> bytes.</summary>
    public AvroBinaryWriter(int initialCapacity = 256) => _buffer = new byte[Math.Max(16, initialCapacity)];

    /// <summary>Number of bytes written.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far (valid until the next write).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>A copy of the bytes written.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Forgets what was written, keeping the buffer for reuse.</summary>
    public void Reset() => _length = 0;

    /// <summary>Appends bytes as they are (no length prefix), e.g. a wire-format header.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    /// <summary>null is encoded as zero bytes.</summary>
    public void WriteNull() { }

    /// <summary>A single byte, 0 or 1.</summary>
    public void WriteBoolean(bool value) => Grow(1)[0] = value ? (byte)1 : (byte)0;

    /// <summary>Zig-zag variable-length int.</summary>
    public void WriteInt(int value) => WriteLong(value);

    /// <summary>Zig-zag variable-length long.</summary>
    public void WriteLong(long value)
    {
        var n = (ulong)((value << 1) ^ (value >> 63));
        var span = Grow(10);
        var i = 0;
        while (n >= 0x80)
        {
            span[i++] = (byte)(n | 0x80);
            n >>= 7;
        }
        span[i++] = (byte)n;
        _length -= 10 - i;
    }

    /// <summary>4 bytes, IEEE 754, little-endian.</summary>
    public void WriteFloat(float value) => BinaryPrimitives.WriteSingleLittleEndian(Grow(4), value);

    /// <summary>8 bytes, IEEE 754, little-endian.</summary>
    public void WriteDouble(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Grow(8), value);

    /// <summary>A long length followed by the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        WriteRaw(value);
    }

    /// <summary>A long length followed by the UTF-8 bytes.</summary>
    public void WriteString(string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteLong(byteCount);
        Encoding.UTF8.GetBytes(value, Grow(byteCount));
    }

    /// <summary>Exactly <paramref name="size"/> bytes, no length prefix.</summary>
    /// <exception cref="AvroException">The value is not <paramref name="size"/> bytes long.</exception>
    public void WriteFixed(ReadOnlySpan<byte> value, int size)
    {
        if (value.Length != size) throw new AvroException($"fixed value has {value.Length} bytes, the schema says {size}");
        WriteRaw(value);
    }

    /// <summary>The zero-based symbol index as an int.</summary>
    public void WriteEnum(int index) => WriteInt(index);

    /// <summary>The zero-based branch index as an int; the branch's value follows.</summary>
    public void WriteUnionIndex(int index) => WriteInt(index);

    /// <summary>Starts a block of <paramref name="count"/> array items or map entries; a count of 0 ends the
    /// array or map.</summary>
    public void WriteBlockCount(long count) => WriteLong(count);

    /// <summary>An array as one block followed by the end marker (or just the end marker when empty).</summary>
    public void WriteArray<T>(IReadOnlyCollection<T> items, Action<AvroBinaryWriter, T> writeItem)
    {
        if (items.Count > 0)
        {
            WriteBlockCount(items.Count);
            foreach (var item in items) writeItem(this, item);
        }
        WriteBlockCount(0);
    }

    /// <summary>A map as one block of key/value entries followed by the end marker.</summary>
    public void WriteMap<T>(IReadOnlyDictionary<string, T> entries, Action<AvroBinaryWriter, T> writeValue)
    {
        if (entries.Count > 0)
        {
            WriteBlockCount(entries.Count);
            foreach (var (key, value) in entries)
            {
                WriteString(key);
                writeValue(this, value);
            }
        }
        WriteBlockCount(0);
    }

    /// <summary>A decimal logical value on bytes: big-endian two's complement of the unscaled value.</summary>
    /// <exception cref="AvroException">The value has more fractional digits than <paramref name="scale"/> or
    /// more digits than <paramref name="precision"/>; it is never rounded.</exception>
    public void WriteDecimal(decimal value, int precision, int scale)
    {
        Span<byte> bytes = stackalloc byte[DecimalEncoding.MaxFastBytes];
        if (DecimalEncoding.TryWrite(value, precision, scale, fixedSize: null, bytes, out var length)) WriteBytes(bytes[..length]);
        else WriteBytes(DecimalEncoding.ToBytes(value, precision, scale, fixedSize: null));
    }

    /// <summary>A decimal logical value on a fixed of <paramref name="size"/> bytes (sign-extended).</summary>
    /// <exception cref="AvroException">As <see cref="WriteDecimal"/>, or the value does not fit.</exception>
    public void WriteFixedDecimal(decimal value, int precision, int scale, int size)
    {
        var start = _length;
        if (!DecimalEncoding.TryWrite(value, precision, scale, size, Grow(Math.Max(size, DecimalEncoding.MaxFastBytes)), out _))
        {
            _length = start;
            WriteRaw(DecimalEncoding.ToBytes(value, precision, scale, size));
            return;
        }
        _length = start + size;
    }

    /// <summary>A timestamp-millis logical value: milliseconds since the Unix epoch (UTC) as a long.
    /// Sub-millisecond ticks are truncated, as the logical type has millisecond resolution.</summary>
    public void WriteTimestampMillis(DateTimeOffset value) => WriteLong(value.ToUnixTimeMilliseconds());

    /// <summary>A timestamp-micros logical value: microseconds since the Unix epoch (UTC).</summary>
    public void WriteTimestampMicros(DateTimeOffset value) => WriteLong(LogicalValues.TimestampUnits(value, 10));

    /// <summary>A local-timestamp-millis logical value: the wall-clock time's milliseconds since 1970-01-01T00:00.</summary>
    public void WriteLocalTimestampMillis(DateTime value) => WriteLong(LogicalValues.LocalTimestampUnits(value, TimeSpan.TicksPerMillisecond));

    /// <summary>A local-timestamp-micros logical value: the wall-clock time's microseconds since 1970-01-01T00:00.</summary>
    public void WriteLocalTimestampMicros(DateTime value) => WriteLong(LogicalValues.LocalTimestampUnits(value, 10));

    /// <summary>A date logical value: days since 1970-01-01.</summary>
    public void WriteDate(DateOnly value) => WriteInt(LogicalValues.Days(value));

    /// <summary>A time-millis logical value: milliseconds after midnight.</summary>
    public void WriteTimeMillis(TimeOnly value) => WriteInt((int)LogicalValues.TimeUnits(value, TimeSpan.TicksPerMillisecond));

    /// <summary>A time-micros logical value: microseconds after midnight.</summary>
    public void WriteTimeMicros(TimeOnly value) => WriteLong(LogicalValues.TimeUnits(value, 10));

    /// <summary>A uuid logical value: the 36-character RFC 4122 string, lower case.</summary>
    public void WriteUuid(Guid value)
    {
        WriteLong(36);
        value.TryFormat(Grow(36), out _, "D");
    }

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
