using System.Collections;
using System.Globalization;
using System.Text.Json;
using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Json;

/// <summary>Writes generic values in the spec's JSON encoding: unions as <c>null</c> or
/// <c>{"branch type name": value}</c>, bytes and fixed as strings of code points 0-255, enums as symbols, logical
/// types as their underlying type (a decimal as its two's-complement bytes, a timestamp as its long). The readable
/// style (for people, not for <see cref="JsonDatumReader"/>) writes union values bare and logical types as text.</summary>
internal static class JsonDatumWriter
{
    public static void Write(Utf8JsonWriter json, AvroSchema schema, object? value, string path, bool readable = false)
    {
        switch (schema)
        {
            case UnionSchema u:
                var branch = UnionBranches.Select(u, value);
                if (branch < 0) throw Mismatch(path, schema, value);
                if (u.Branches[branch].Type == AvroType.Null)
                {
                    json.WriteNullValue();
                    return;
                }
                if (readable)
                {
                    Write(json, u.Branches[branch], value, path, readable);
                    return;
                }
                json.WriteStartObject();
                json.WritePropertyName(AvroJson.BranchName(u.Branches[branch]));
                Write(json, u.Branches[branch], value, path);
                json.WriteEndObject();
                return;
            case RecordSchema r:
                if (value is not GenericRecord record || record.Schema.FullName != r.FullName) throw Mismatch(path, schema, value);
                json.WriteStartObject();
                foreach (var field in r.Fields)
                {
                    if (!record.TryGetValue(field.Name, out var fieldValue)) throw new AvroException($"{path}: missing field '{field.Name}'");
                    json.WritePropertyName(field.Name);
                    Write(json, field.Schema, fieldValue, $"{path}.{field.Name}", readable);
                }
                json.WriteEndObject();
                return;
            case EnumSchema e:
                var symbol = value switch
                {
                    GenericEnum ge when ge.Schema.FullName == e.FullName => ge.Symbol,
                    string s when e.IndexOf(s) >= 0 => s,
                    _ => throw Mismatch(path, schema, value),
                };
                json.WriteStringValue(symbol);
                return;
            case FixedSchema { LogicalType.IsDecimal: true } when readable && Text(value) is { } digits:
                json.WriteStringValue(digits);
                return;
            case FixedSchema { LogicalType: { IsDecimal: true } d } f:
                WriteBytes(json, DecimalEncoding.ToBytes(value as decimal? ?? throw Mismatch(path, schema, value), d.Precision, d.Scale, f.Size));
                return;
            case FixedSchema f:
                var bytes = value switch
                {
                    GenericFixed gf when gf.Schema.FullName == f.FullName => gf.Bytes,
                    byte[] b when b.Length == f.Size => b,
                    _ => throw Mismatch(path, schema, value),
                };
                WriteBytes(json, bytes);
                return;
            case ArraySchema a:
                if (value is not IEnumerable items || value is string or byte[] or IDictionary) throw Mismatch(path, schema, value);
                json.WriteStartArray();
                var i = 0;
                foreach (var item in items) Write(json, a.Items, item, $"{path}[{i++}]", readable);
                json.WriteEndArray();
                return;
            case MapSchema m:
                if (value is not IDictionary map) throw Mismatch(path, schema, value);
                json.WriteStartObject();
                foreach (DictionaryEntry entry in map)
                {
                    var key = entry.Key as string ?? throw new AvroException($"{path}: map keys must be strings");
                    json.WritePropertyName(key);
                    Write(json, m.Values, entry.Value, $"{path}.{key}", readable);
                }
                json.WriteEndObject();
                return;
            case { LogicalType: not null } when readable && Text(value) is { } text:
                json.WriteStringValue(text);
                return;
            default:
                WritePrimitive(json, schema, value, path);
                return;
        }
    }

    // A logical type's .NET value as people write it: decimals with their digits (a string, so no client rounds them
    // through a double), instants in ISO-8601 UTC, dates, times, uuids.
    private static string? Text(object? value) => value switch
    {
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        Guid g => g.ToString("D"),
        _ => null,
    };

    private static void WritePrimitive(Utf8JsonWriter json, AvroSchema schema, object? value, string path)
    {
        if (schema.LogicalType is { IsDecimal: false } logical && LogicalValues.ToPhysical(logical, value) is { } physical) value = physical;
        switch (schema.Type, value)
        {
            case (AvroType.Null, null): json.WriteNullValue(); break;
            case (AvroType.Boolean, bool b): json.WriteBooleanValue(b); break;
            case (AvroType.Int, int i): json.WriteNumberValue(i); break;
            case (AvroType.Long, long l): json.WriteNumberValue(l); break;
            case (AvroType.Long, int i): json.WriteNumberValue(i); break;
            case (AvroType.Float, float f): WriteFloatingPoint(json, f, f.ToString("R", CultureInfo.InvariantCulture)); break;
            case (AvroType.Double, double d): WriteFloatingPoint(json, d, d.ToString("R", CultureInfo.InvariantCulture)); break;
            case (AvroType.Double, float f): WriteFloatingPoint(json, f, f.ToString("R", CultureInfo.InvariantCulture)); break;
            case (AvroType.String, string s): json.WriteStringValue(s); break;
            case (AvroType.Bytes, decimal m) when schema.LogicalType is { IsDecimal: true } d:
                WriteBytes(json, DecimalEncoding.ToBytes(m, d.Precision, d.Scale, fixedSize: null));
                break;
            case (AvroType.Bytes, byte[] bytes): WriteBytes(json, bytes); break;
            default: throw Mismatch(path, schema, value);
        }
    }

    // JSON has no NaN or infinities: they are written as the strings "NaN", "Infinity", "-Infinity".
    private static void WriteFloatingPoint(Utf8JsonWriter json, double value, string roundTrip)
    {
        if (double.IsFinite(value)) json.WriteRawValue(roundTrip);
        else json.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    private static void WriteBytes(Utf8JsonWriter json, ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = bytes.Length <= 256 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
        json.WriteStringValue(chars);
    }

    private static AvroException Mismatch(string path, AvroSchema schema, object? value) =>
        new($"cannot write {path} as JSON: expected {GenericDatumWriter.Describe(schema)}, got {(value is null ? "null" : value.GetType().Name)}");
}
