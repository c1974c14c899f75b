using Avro;

namespace Otto.Streams.SchemaRegistry;

/// <summary>
/// Checks that an Avro body is well formed for its writer schema before Apache.Avro decodes it. Apache's decoder
/// allocates what a length or count in the data announces before reading it (seen here: a 10-byte record claiming
/// a 1 GB string allocated 1 GB; one claiming 10^9 array items allocated 8 GB), so bad bytes on a topic could take
/// the worker down instead of going to the dead-letter topic. This walks the body without allocating and refuses
/// lengths and counts that the remaining bytes cannot hold, nesting deeper than <see cref="MaxDepth"/>, and
/// trailing bytes.
/// </summary>
public static class AvroBodyCheck
{
    /// <summary>Deepest nesting of records, arrays, maps and unions accepted (a recursive schema could otherwise
    /// recurse once per input byte).</summary>
    public const int MaxDepth = 256;

    /// <summary>Most items of zero encoded size (nulls, empty records) one array or map may hold: their count is
    /// not bounded by the input's length.</summary>
    public const int MaxZeroSizeItems = 65_536;

    /// <summary>Throws <see cref="AvroException"/> naming the problem when <paramref name="body"/> is not one
    /// well-formed datum of <paramref name="writer"/>.</summary>
    public static void Check(Schema writer, ReadOnlySpan<byte> body)
    {
        var position = 0;
        Walk(writer, body, ref position, 0);
        if (position != body.Length) throw new AvroException($"{body.Length - position} bytes after the end of the datum");
    }

    private static void Walk(Schema schema, ReadOnlySpan<byte> data, ref int at, int depth)
    {
        if (depth > MaxDepth) throw new AvroException($"nested deeper than {MaxDepth}");
        switch (schema.Tag)
        {
            case Schema.Type.Null:
                return;
            case Schema.Type.Boolean:
                var b = Take(data, ref at, 1)[0];
                if (b > 1) throw new AvroException($"boolean byte {b} at offset {at - 1}");
                return;
            case Schema.Type.Int:
            case Schema.Type.Long:
                ReadLong(data, ref at);
                return;
            case Schema.Type.Float:
                Take(data, ref at, 4);
                return;
            case Schema.Type.Double:
                Take(data, ref at, 8);
                return;
            case Schema.Type.Bytes:
            case Schema.Type.String:
                Take(data, ref at, Length(data, ref at, "length"));
                return;
            case Schema.Type.Fixed:
                Take(data, ref at, ((FixedSchema)schema).Size);
                return;
            case Schema.Type.Enumeration:
                Index(data, ref at, ((EnumSchema)schema).Count, "enum symbol");
                return;
            case Schema.Type.Union:
                var union = (UnionSchema)schema;
                Walk(union[Index(data, ref at, union.Count, "union branch")], data, ref at, depth + 1);
                return;
            case Schema.Type.Record:
            case Schema.Type.Error:
                foreach (var field in (RecordSchema)schema) Walk(field.Schema, data, ref at, depth + 1);
                return;
            case Schema.Type.Array:
                Blocks(((ArraySchema)schema).ItemSchema, keyed: false, data, ref at, depth);
                return;
            case Schema.Type.Map:
                Blocks(((MapSchema)schema).ValueSchema, keyed: true, data, ref at, depth);
                return;
            case Schema.Type.Logical:
                Walk(((LogicalSchema)schema).BaseSchema, data, ref at, depth);
                return;
            default:
                throw new AvroException($"unsupported schema type {schema.Tag}");
        }
    }

    private static void Blocks(Schema items, bool keyed, ReadOnlySpan<byte> data, ref int at, int depth)
    {
        var zeroSize = !keyed && EncodesToNothing(items, 0);
        long total = 0;
        while (true)
        {
            var count = ReadLong(data, ref at);
            if (count == 0) return;
            if (count < 0)
            {
                count = -count; // a negative count is followed by the block's size in bytes
                Length(data, ref at, "block size");
            }
            total += count;
            if (zeroSize ? total > MaxZeroSizeItems : count > data.Length - at)
                throw new AvroException($"a block of {count} items at offset {at} cannot fit in the {data.Length - at} bytes left");
            for (var i = 0; i < count; i++)
            {
                if (keyed) Take(data, ref at, Length(data, ref at, "map key length"));
                Walk(items, data, ref at, depth + 1);
            }
        }
    }

    private static bool EncodesToNothing(Schema schema, int depth) => depth < MaxDepth && schema switch
    {
        { Tag: Schema.Type.Null } => true,
        FixedSchema f => f.Size == 0,
        RecordSchema r => r.Fields.All(f => EncodesToNothing(f.Schema, depth + 1)),
        LogicalSchema l => EncodesToNothing(l.BaseSchema, depth + 1),
        _ => false,
    };

    private static int Length(ReadOnlySpan<byte> data, ref int at, string what)
    {
        var start = at;
        var length = ReadLong(data, ref at);
        if (length < 0 || length > data.Length - at)
            throw new AvroException($"{what} {length} at offset {start} exceeds the {data.Length - at} bytes left");
        return (int)length;
    }

    private static int Index(ReadOnlySpan<byte> data, ref int at, int count, string what)
    {
        var start = at;
        var index = ReadLong(data, ref at);
        if (index < 0 || index >= count) throw new AvroException($"{what} {index} at offset {start} is out of range (0..{count - 1})");
        return (int)index;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int at, int count)
    {
        if (count > data.Length - at) throw new AvroException($"{count} bytes needed at offset {at}, {data.Length - at} left");
        var taken = data.Slice(at, count);
        at += count;
        return taken;
    }

    // Zig-zag varint, at most 10 bytes.
    private static long ReadLong(ReadOnlySpan<byte> data, ref int at)
    {
        ulong raw = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (at >= data.Length) throw new AvroException($"a number runs past the end of the data at offset {at}");
            var b = data[at++];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return (long)(raw >> 1) ^ -(long)(raw & 1);
        }
        throw new AvroException($"a number longer than 10 bytes ends at offset {at}");
    }
}
