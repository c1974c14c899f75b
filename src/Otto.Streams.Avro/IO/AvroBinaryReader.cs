using System.Buffers.Binary;
using System.Text;

namespace Otto.Streams.Avro.IO;

/// <summary>
/// Reads the Avro binary encoding from a buffer. Every length and count is checked against the bytes that are
/// left before anything is allocated, so corrupt input fails with an <see cref="AvroException"/> naming the
/// offset, never with an out-of-range error or a huge allocation.
/// </summary>
public sealed class AvroBinaryReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private ReadOnlyMemory<byte> _data;
    private int _position;
    private int _depth;

    /// <summary>How deeply records may nest while reading. Only recursive schemas nest deeply; the limit keeps
    /// corrupt data from exhausting the stack, which would end the process rather than fail the record.</summary>
    public const int MaxDepth = 512;

    /// <summary>Reads <paramref name="data"/> from its start.</summary>
    public AvroBinaryReader(ReadOnlyMemory<byte> data) => _data = data;

    /// <summary>Starts reading <paramref name="data"/> from its start, so one reader serves many messages
    /// without allocating.</summary>
    public void Reset(ReadOnlyMemory<byte> data)
    {
        _data = data;
        _position = 0;
        _depth = 0;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public int Position => _position;

    /// <summary>Bytes not yet read.</summary>
    public int Remaining => _data.Length - _position;

    /// <summary>null is encoded as zero bytes.</summary>
    public void ReadNull() { }

    /// <summary>A single byte that must be 0 or 1.</summary>
    public bool ReadBoolean()
    {
        var b = Take(1)[0];
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw Corrupt(_position - 1, $"boolean byte is 0x{b:x2}, expected 0 or 1"),
        };
    }

    /// <summary>Zig-zag variable-length int.</summary>
    public int ReadInt()
    {
        var start = _position;
        var value = ReadLong();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Corrupt(start, $"int value {value} out of range");
    }

    /// <summary>Zig-zag variable-length long.</summary>
    public long ReadLong()
    {
        var start = _position;
        var span = _data.Span;
        ulong n = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= span.Length) throw Truncated(start, "varint");
            var b = span[_position++];
            // The tenth byte holds only the 64th bit.
            if (shift == 63 && b > 1) throw Corrupt(start, "varint longer than 64 bits");
            n |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return (long)(n >> 1) ^ -(long)(n & 1);
        }
        throw Corrupt(start, "varint longer than 10 bytes");
    }

    /// <summary>4 bytes, IEEE 754, little-endian.</summary>
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4));

    /// <summary>8 bytes, IEEE 754, little-endian.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>A long length followed by that many bytes.</summary>
    public byte[] ReadBytes() => Take(ReadLength("bytes")).ToArray();

    /// <summary>A long length followed by that many bytes of strict UTF-8.</summary>
    public string ReadString()
    {
        var length = ReadLength("string");
        var start = _position;
        try
        {
            return StrictUtf8.GetString(Take(length));
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt(start, "string is not valid UTF-8");
        }
    }

    /// <summary>Exactly <paramref name="size"/> bytes.</summary>
    public byte[] ReadFixed(int size) => Take(size).ToArray();

    /// <summary>A symbol index, checked against the number of symbols.</summary>
    public int ReadEnum(int symbolCount) => ReadIndex(symbolCount, "enum symbol");

    /// <summary>A union branch index, checked against the number of branches.</summary>
    public int ReadUnionIndex(int branchCount) => ReadIndex(branchCount, "union branch");

    /// <summary>How many items an array of zero-size items (null, fixed(0), records of only such fields) may
    /// hold. Such items take no bytes, so the input cannot bound their count; this limit keeps a corrupt count
    /// from looping or allocating without end.</summary>
    public const int MaxZeroSizeItems = 1 << 16;

    /// <summary>
    /// The item count of the next array or map block; 0 means the array or map ended. A negative count on the
    /// wire (followed by the block's byte size) is returned as its absolute value. Unless
    /// <paramref name="zeroSizeItems"/>, a count larger than the bytes left is rejected (every item takes at least
    /// one byte), so a corrupt count cannot drive a huge allocation or loop; zero-size items are bounded by
    /// <see cref="MaxZeroSizeItems"/> instead.
    /// </summary>
    public int ReadBlockCount(bool zeroSizeItems = false)
    {
        var start = _position;
        var count = ReadLong();
        if (count < 0)
        {
            count = count == long.MinValue ? long.MaxValue : -count;
            if (ReadLong() < 0) throw Corrupt(start, "negative block byte size");
        }
        if (zeroSizeItems)
        {
            if (count > MaxZeroSizeItems) throw Corrupt(start, $"block claims {count} zero-size items, more than the limit of {MaxZeroSizeItems}");
        }
        else if (count > Remaining)
        {
            throw Corrupt(start, $"block claims {count} items but only {Remaining} bytes are left");
        }
        return (int)count;
    }

    /// <summary>Reads an array block by block. <paramref name="zeroSizeItems"/>: the item schema encodes in zero
    /// bytes (see <see cref="Schema.AvroSchema.EncodesToZeroBytes"/>).</summary>
    public List<T> ReadArray<T>(Func<AvroBinaryReader, T> readItem, bool zeroSizeItems = false)
    {
        var list = new List<T>();
        for (var count = ReadBlockCount(zeroSizeItems); count != 0; count = ReadBlockCount(zeroSizeItems))
        {
            if (zeroSizeItems && list.Count + count > MaxZeroSizeItems)
                throw Corrupt(_position, $"array of zero-size items longer than the limit of {MaxZeroSizeItems}");
            for (var i = 0; i < count; i++) list.Add(readItem(this));
        }
        return list;
    }

    /// <summary>Reads a map block by block; a repeated key keeps the last value.</summary>
    public Dictionary<string, T> ReadMap<T>(Func<AvroBinaryReader, T> readValue)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        for (var count = ReadBlockCount(); count != 0; count = ReadBlockCount())
        {
            for (var i = 0; i < count; i++)
            {
                var key = ReadString();
                map[key] = readValue(this);
            }
        }
        return map;
    }

    /// <summary>A decimal logical value on bytes.</summary>
    public decimal ReadDecimal(int scale)
    {
        var start = _position;
        return DecimalEncoding.FromBytes(Take(ReadLength("decimal")), scale, start);
    }

    /// <summary>A decimal logical value on a fixed of <paramref name="size"/> bytes.</summary>
    public decimal ReadFixedDecimal(int scale, int size)
    {
        var start = _position;
        return DecimalEncoding.FromBytes(Take(size), scale, start);
    }

    /// <summary>A timestamp-millis logical value, as a UTC <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset ReadTimestampMillis() => ReadTimestamp(TimeSpan.TicksPerMillisecond, "timestamp-millis");

    /// <summary>A timestamp-micros logical value, as a UTC <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset ReadTimestampMicros() => ReadTimestamp(10, "timestamp-micros");

    /// <summary>A local-timestamp-millis logical value, as a <see cref="DateTime"/> of unspecified kind.</summary>
    public DateTime ReadLocalTimestampMillis() => ReadLocalTimestamp(TimeSpan.TicksPerMillisecond, "local-timestamp-millis");

    /// <summary>A local-timestamp-micros logical value, as a <see cref="DateTime"/> of unspecified kind.</summary>
    public DateTime ReadLocalTimestampMicros() => ReadLocalTimestamp(10, "local-timestamp-micros");

    /// <summary>A date logical value (days since 1970-01-01).</summary>
    public DateOnly ReadDate()
    {
        var start = _position;
        var days = ReadInt();
        return LogicalValues.Date(days) ?? throw Corrupt(start, $"date {days} out of range");
    }

    /// <summary>A time-millis logical value (milliseconds after midnight).</summary>
    public TimeOnly ReadTimeMillis()
    {
        var start = _position;
        var millis = ReadInt();
        return LogicalValues.Time(millis, TimeSpan.TicksPerMillisecond) ?? throw Corrupt(start, $"time-millis {millis} out of range");
    }

    /// <summary>A time-micros logical value (microseconds after midnight).</summary>
    public TimeOnly ReadTimeMicros()
    {
        var start = _position;
        var micros = ReadLong();
        return LogicalValues.Time(micros, 10) ?? throw Corrupt(start, $"time-micros {micros} out of range");
    }

    /// <summary>A uuid logical value (a string in RFC 4122 form).</summary>
    public Guid ReadUuid()
    {
        var start = _position;
        var text = ReadString();
        return LogicalValues.Uuid(text) ?? throw Corrupt(start, "uuid string is not in the RFC 4122 form");
    }

    private DateTimeOffset ReadTimestamp(long ticksPerUnit, string what)
    {
        var start = _position;
        var units = ReadLong();
        return LogicalValues.Timestamp(units, ticksPerUnit) ?? throw Corrupt(start, $"{what} {units} out of range");
    }

    private DateTime ReadLocalTimestamp(long ticksPerUnit, string what)
    {
        var start = _position;
        var units = ReadLong();
        return LogicalValues.LocalTimestamp(units, ticksPerUnit) ?? throw Corrupt(start, $"{what} {units} out of range");
    }

    /// <summary>Enters a nested record; pair with <see cref="ExitNested"/>.</summary>
    /// <exception cref="AvroException">Nesting beyond <see cref="MaxDepth"/>.</exception>
    public void EnterNested()
    {
        if (++_depth > MaxDepth) throw Corrupt(_position, $"records nested deeper than {MaxDepth}");
    }

    /// <summary>Leaves a nested record.</summary>
    public void ExitNested() => _depth--;

    /// <summary>Fails unless every byte was read; trailing bytes mean the writer used another schema.</summary>
    public void EnsureAtEnd()
    {
        if (Remaining != 0) throw Corrupt(_position, $"{Remaining} unexpected trailing bytes");
    }

    private int ReadIndex(int count, string what)
    {
        var start = _position;
        var index = ReadInt();
        return index >= 0 && index < count ? index : throw Corrupt(start, $"{what} index {index} out of range 0..{count - 1}");
    }

    private int ReadLength(string what)
    {
        var start = _position;
        var length = ReadLong();
        if (length < 0) throw Corrupt(start, $"negative {what} length {length}");
        if (length > Remaining) throw Truncated(start, $"{what} of {length} bytes");
        return (int)length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining) throw Truncated(_position, $"{count} bytes");
        var span = _data.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    private AvroException Truncated(int offset, string what) =>
        new($"truncated Avro data: {what} at offset {offset}, only {_data.Length - offset} bytes left");

    private static AvroException Corrupt(int offset, string what) => new($"corrupt Avro data at offset {offset}: {what}");
}
