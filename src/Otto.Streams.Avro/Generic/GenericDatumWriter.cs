using System.Collections;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Generic;

/// <summary>
/// Writes generic values by schema. The generic representation: null → null, boolean → bool, int → int,
/// long → long, float → float, double → double, bytes → byte[], string → string, record → <see cref="GenericRecord"/>,
/// enum → <see cref="GenericEnum"/> (a symbol string is accepted too), array → a list, map → a dictionary with
/// string keys, fixed → <see cref="GenericFixed"/>, union → the chosen branch's value; the decimal logical type
/// → <see cref="decimal"/> and timestamp-millis → <see cref="DateTimeOffset"/> (UTC).
/// </summary>
public sealed class GenericDatumWriter
{
    /// <summary>Creates a writer for <paramref name="schema"/>.</summary>
    public GenericDatumWriter(AvroSchema schema) => Schema = schema;

    /// <summary>The writer schema.</summary>
    public AvroSchema Schema { get; }

    /// <summary>Encodes <paramref name="datum"/>.</summary>
    /// <exception cref="AvroException">The value does not match the schema; the message names the field path.</exception>
    public void Write(AvroBinaryWriter writer, object? datum)
    {
        try
        {
            WriteValue(writer, Schema, datum);
        }
        catch (MismatchException e)
        {
            throw new AvroException($"cannot write value as {Describe(Schema)}: at {(e.Path.Length == 0 ? "top level" : e.Path)}: {e.Message}");
        }
    }

    private static void WriteValue(AvroBinaryWriter w, AvroSchema schema, object? value)
    {
        switch (schema)
        {
            case RecordSchema r:
                WriteRecord(w, r, value as GenericRecord ?? throw Mismatch(schema, value));
                return;
            case EnumSchema e:
                var symbol = value switch
                {
                    GenericEnum ge when ge.Schema.FullName == e.FullName => ge.Symbol,
                    string s => s,
                    _ => throw Mismatch(schema, value),
                };
                var index = e.IndexOf(symbol);
                w.WriteEnum(index >= 0 ? index : throw new MismatchException($"'{symbol}' is not a symbol of {e.FullName}"));
                return;
            case FixedSchema f:
                WriteFixed(w, f, value);
                return;
            case ArraySchema a:
                if (value is not IEnumerable items || value is string or byte[] or IDictionary) throw Mismatch(schema, value);
                var list = items.Cast<object?>().ToList();
                if (list.Count > 0)
                {
                    w.WriteBlockCount(list.Count);
                    for (var i = 0; i < list.Count; i++) WriteItem(w, a.Items, list[i], i);
                }
                w.WriteBlockCount(0);
                return;
            case MapSchema m:
                if (value is not IDictionary dict) throw Mismatch(schema, value);
                var entries = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dict) entries[entry.Key as string ?? throw new MismatchException("map keys must be strings")] = entry.Value;
                w.WriteMap(entries, (inner, v) => WriteValue(inner, m.Values, v));
                return;
            case UnionSchema u:
                var branch = UnionBranches.Select(u, value);
                if (branch < 0) throw Mismatch(schema, value);
                w.WriteUnionIndex(branch);
                WriteValue(w, u.Branches[branch], value);
                return;
            default:
                WritePrimitive(w, schema, value);
                return;
        }
    }

    private static void WriteItem(AvroBinaryWriter w, AvroSchema items, object? item, int index)
    {
        try
        {
            WriteValue(w, items, item);
        }
        catch (MismatchException e)
        {
            throw e.Under($"[{index}]");
        }
    }

    private static void WriteRecord(AvroBinaryWriter w, RecordSchema r, GenericRecord record)
    {
        if (record.Schema.FullName != r.FullName) throw Mismatch(r, record);
        foreach (var field in r.Fields)
        {
            // Values are looked up by name so a record built on an equivalent schema instance also writes.
            if (!record.TryGetValue(field.Name, out var value)) throw new MismatchException($"missing field '{field.Name}'");
            try
            {
                WriteValue(w, field.Schema, value);
            }
            catch (MismatchException e)
            {
                throw e.Under(field.Name);
            }
        }
    }

    private static void WriteFixed(AvroBinaryWriter w, FixedSchema f, object? value)
    {
        if (f.LogicalType is { IsDecimal: true } d)
        {
            w.WriteFixedDecimal(value is decimal m ? m : throw Mismatch(f, value), d.Precision, d.Scale, f.Size);
            return;
        }
        var bytes = value switch
        {
            GenericFixed gf when gf.Schema.FullName == f.FullName => gf.Bytes,
            byte[] b => b,
            _ => throw Mismatch(f, value),
        };
        if (bytes.Length != f.Size) throw new MismatchException($"fixed {f.FullName} needs {f.Size} bytes, got {bytes.Length}");
        w.WriteFixed(bytes, f.Size);
    }

    private static void WritePrimitive(AvroBinaryWriter w, AvroSchema schema, object? value)
    {
        // A logical type's .NET value (DateOnly, Guid, ...) is written as the int, long or string it stands for.
        if (schema.LogicalType is { IsDecimal: false } logical && LogicalValues.ToPhysical(logical, value) is { } physical) value = physical;
        switch (schema.Type, value)
        {
            case (AvroType.Null, null): w.WriteNull(); break;
            case (AvroType.Boolean, bool b): w.WriteBoolean(b); break;
            case (AvroType.Int, int i): w.WriteInt(i); break;
            case (AvroType.Long, long l): w.WriteLong(l); break;
            case (AvroType.Long, int i): w.WriteLong(i); break;
            case (AvroType.Float, float f): w.WriteFloat(f); break;
            case (AvroType.Double, double d): w.WriteDouble(d); break;
            case (AvroType.Double, float f): w.WriteDouble(f); break;
            case (AvroType.String, string s): w.WriteString(s); break;
            case (AvroType.Bytes, decimal m) when schema.LogicalType is { IsDecimal: true } d: w.WriteDecimal(m, d.Precision, d.Scale); break;
            case (AvroType.Bytes, byte[] bytes): w.WriteBytes(bytes); break;
            default: throw Mismatch(schema, value);
        }
    }

    private static MismatchException Mismatch(AvroSchema schema, object? value) =>
        new($"expected {Describe(schema)}, got {(value is null ? "null" : value.GetType().Name)}");

    internal static string Describe(AvroSchema schema) => schema switch
    {
        NamedSchema n => $"{PrimitiveOrKind(schema)} {n.FullName}",
        { LogicalType: { } lt } => $"{PrimitiveOrKind(schema)} ({lt.Name})",
        _ => PrimitiveOrKind(schema),
    };

    private static string PrimitiveOrKind(AvroSchema schema) => schema.Type.ToString().ToLowerInvariant();

    /// <summary>A value/schema mismatch that collects the field path as it unwinds.</summary>
    private sealed class MismatchException(string message, string path = "") : Exception(message)
    {
        public string Path { get; } = path;

        public MismatchException Under(string segment) =>
            new(Message, Path.Length == 0 ? segment : segment.StartsWith('[') || Path.StartsWith('[') ? segment + Path : $"{segment}.{Path}");
    }
}
