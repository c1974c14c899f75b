using System.Text.Json;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Generic;

/// <summary>
/// Turns a field's JSON default into the generic representation, checking it against the field's schema
/// (spec: a union's default must match the union's first branch; bytes and fixed defaults are strings whose
/// code points 0-255 are the bytes).
/// </summary>
internal static class DefaultValues
{
    public static object? FromJson(AvroSchema schema, JsonElement json, string path)
    {
        switch (schema)
        {
            case UnionSchema u:
                return FromJson(u.Branches[0], json, path);
            case RecordSchema r:
                return RecordFromJson(r, json, path);
            case EnumSchema e:
                var symbol = Expect(json, JsonValueKind.String, "an enum symbol", path).GetString()!;
                return e.IndexOf(symbol) >= 0 ? new GenericEnum(e, symbol) : throw Invalid(path, $"'{symbol}' is not a symbol of {e.FullName}");
            case FixedSchema f:
                var fixedBytes = BytesFromJson(json, path);
                if (fixedBytes.Length != f.Size) throw Invalid(path, $"fixed default needs {f.Size} bytes, got {fixedBytes.Length}");
                return f.LogicalType is { IsDecimal: true } d
                    ? DecimalEncoding.FromBytes(fixedBytes, d.Scale, 0)
                    : new GenericFixed(f, fixedBytes);
            case ArraySchema a:
                Expect(json, JsonValueKind.Array, "an array", path);
                return json.EnumerateArray().Select((item, i) => FromJson(a.Items, item, $"{path}[{i}]")).ToList();
            case MapSchema m:
                Expect(json, JsonValueKind.Object, "an object", path);
                return json.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(m.Values, p.Value, $"{path}.{p.Name}"));
            default:
                return PrimitiveFromJson(schema, json, path);
        }
    }

    private static object? PrimitiveFromJson(AvroSchema schema, JsonElement json, string path)
    {
        switch (schema.Type)
        {
            case AvroType.Null:
                Expect(json, JsonValueKind.Null, "null", path);
                return null;
            case AvroType.Boolean:
                return json.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Invalid(path, "expected true or false"),
                };
            case AvroType.Int:
                return Expect(json, JsonValueKind.Number, "an int", path).TryGetInt32(out var i) ? i : throw Invalid(path, "expected a 32-bit integer");
            case AvroType.Long:
                var l = Expect(json, JsonValueKind.Number, "a long", path).TryGetInt64(out var v) ? v : throw Invalid(path, "expected a 64-bit integer");
                return schema.LogicalType is { IsTimestampMillis: true }
                    ? TimestampMillis.FromUnixMillis(l) ?? throw Invalid(path, "timestamp out of range")
                    : l;
            case AvroType.Float:
                return (float)Expect(json, JsonValueKind.Number, "a number", path).GetDouble();
            case AvroType.Double:
                return Expect(json, JsonValueKind.Number, "a number", path).GetDouble();
            case AvroType.String:
                return Expect(json, JsonValueKind.String, "a string", path).GetString();
            case AvroType.Bytes:
                var bytes = BytesFromJson(json, path);
                return schema.LogicalType is { IsDecimal: true } d ? DecimalEncoding.FromBytes(bytes, d.Scale, 0) : bytes;
            default:
                throw new InvalidOperationException($"unexpected schema type {schema.Type}");
        }
    }

    private static GenericRecord RecordFromJson(RecordSchema r, JsonElement json, string path)
    {
        Expect(json, JsonValueKind.Object, "an object", path);
        var record = new GenericRecord(r);
        foreach (var field in r.Fields)
        {
            if (json.TryGetProperty(field.Name, out var value))
                record[field.Position] = FromJson(field.Schema, value, $"{path}.{field.Name}");
            else if (field.HasDefault)
                record[field.Position] = field.DefaultValue;
            else
                throw Invalid(path, $"missing field '{field.Name}' (it has no default)");
        }
        return record;
    }

    private static byte[] BytesFromJson(JsonElement json, string path)
    {
        var s = Expect(json, JsonValueKind.String, "a string of bytes", path).GetString()!;
        var bytes = new byte[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] > 0xff) throw Invalid(path, $"character U+{(int)s[i]:X4} is not a byte (0-255)");
            bytes[i] = (byte)s[i];
        }
        return bytes;
    }

    private static JsonElement Expect(JsonElement json, JsonValueKind kind, string what, string path) =>
        json.ValueKind == kind ? json : throw Invalid(path, $"expected {what}, got {json.ValueKind}");

    private static AvroSchemaException Invalid(string path, string message) => new(path, $"invalid default: {message}");
}
