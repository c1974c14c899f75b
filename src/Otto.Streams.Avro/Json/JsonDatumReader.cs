using System.Globalization;
using System.Text.Json;
using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Json;

/// <summary>
/// Turns JSON into the generic representation (see <see cref="GenericDatumWriter"/>), checked against a schema.
/// One reader serves two dialects of the spec: the JSON encoding of data, where a non-null union value is
/// wrapped as <c>{"branch type name": value}</c>, and field defaults, where a union's default is an unwrapped
/// value of its first branch. Both encode bytes and fixed as strings whose code points 0-255 are the bytes.
/// </summary>
internal sealed class JsonDatumReader
{
    private readonly bool _defaults;

    private JsonDatumReader(bool defaults) => _defaults = defaults;

    /// <summary>A field default; errors name <paramref name="path"/>.</summary>
    /// <exception cref="AvroSchemaException">The default does not match the field's schema.</exception>
    public static object? ReadDefault(AvroSchema schema, JsonElement json, string path)
    {
        try
        {
            return new JsonDatumReader(defaults: true).Read(schema, json, path);
        }
        catch (MismatchException e)
        {
            throw new AvroSchemaException(e.Path, $"invalid default: {e.Message}");
        }
    }

    /// <summary>A datum in the JSON encoding.</summary>
    /// <exception cref="AvroException">The JSON does not match the schema; the message names the path.</exception>
    public static object? ReadDatum(AvroSchema schema, JsonElement json)
    {
        try
        {
            return new JsonDatumReader(defaults: false).Read(schema, json, "$");
        }
        catch (MismatchException e)
        {
            throw new AvroException($"JSON does not match the schema at {e.Path}: {e.Message}");
        }
    }

    private object? Read(AvroSchema schema, JsonElement json, string path)
    {
        switch (schema)
        {
            case UnionSchema u:
                return _defaults ? Read(u.Branches[0], json, path) : ReadUnion(u, json, path);
            case RecordSchema r:
                return ReadRecord(r, json, path);
            case EnumSchema e:
                var symbol = Expect(json, JsonValueKind.String, "an enum symbol", path).GetString()!;
                return e.IndexOf(symbol) >= 0 ? new GenericEnum(e, symbol) : throw new MismatchException(path, $"'{symbol}' is not a symbol of {e.FullName}");
            case FixedSchema f:
                var fixedBytes = ReadBytes(json, path);
                if (fixedBytes.Length != f.Size) throw new MismatchException(path, $"fixed {f.FullName} needs {f.Size} bytes, got {fixedBytes.Length}");
                return f.LogicalType is { IsDecimal: true } d
                    ? DecimalEncoding.FromBytes(fixedBytes, d.Scale, 0)
                    : new GenericFixed(f, fixedBytes);
            case ArraySchema a:
                Expect(json, JsonValueKind.Array, "an array", path);
                return json.EnumerateArray().Select((item, i) => Read(a.Items, item, $"{path}[{i}]")).ToList();
            case MapSchema m:
                Expect(json, JsonValueKind.Object, "an object", path);
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var p in json.EnumerateObject()) map[p.Name] = Read(m.Values, p.Value, $"{path}.{p.Name}");
                return map;
            default:
                return ReadPrimitive(schema, json, path);
        }
    }

    private object? ReadUnion(UnionSchema u, JsonElement json, string path)
    {
        if (json.ValueKind == JsonValueKind.Null)
        {
            return u.NullIndex >= 0 ? null : throw new MismatchException(path, "null is not a branch of the union");
        }
        if (json.ValueKind != JsonValueKind.Object || json.EnumerateObject().Count() != 1)
            throw new MismatchException(path, "a non-null union value must be an object with one member named for its branch, e.g. {\"string\": \"x\"}");
        var member = json.EnumerateObject().First();
        foreach (var branch in u.Branches)
        {
            if (AvroJson.BranchName(branch) == member.Name) return Read(branch, member.Value, $"{path}.{member.Name}");
        }
        throw new MismatchException(path, $"'{member.Name}' is not a branch of the union ({string.Join(", ", u.Branches.Select(AvroJson.BranchName))})");
    }

    private static object? ReadPrimitive(AvroSchema schema, JsonElement json, string path)
    {
        var physical = ReadPhysical(schema, json, path);
        if (schema.LogicalType is not { IsDecimal: false } logical || physical is null) return physical;
        try
        {
            return LogicalValues.FromPhysical(logical, physical);
        }
        catch (AvroException e)
        {
            throw new MismatchException(path, e.Message);
        }
    }

    private static object? ReadPhysical(AvroSchema schema, JsonElement json, string path)
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
                    _ => throw new MismatchException(path, $"expected true or false, got {json.ValueKind}"),
                };
            case AvroType.Int:
                return Expect(json, JsonValueKind.Number, "an int", path).TryGetInt32(out var i) ? i : throw new MismatchException(path, $"{json.GetRawText()} is not a 32-bit integer");
            case AvroType.Long:
                return Expect(json, JsonValueKind.Number, "a long", path).TryGetInt64(out var l) ? l : throw new MismatchException(path, $"{json.GetRawText()} is not a 64-bit integer");
            case AvroType.Float:
                // Parsed as a float directly: through a double, the rounding could land on a neighbouring float.
                return json.ValueKind == JsonValueKind.Number && json.TryGetSingle(out var f) ? f : (float)ReadFloatingPoint(json, path);
            case AvroType.Double:
                return ReadFloatingPoint(json, path);
            case AvroType.String:
                return Expect(json, JsonValueKind.String, "a string", path).GetString();
            case AvroType.Bytes:
                var bytes = ReadBytes(json, path);
                return schema.LogicalType is { IsDecimal: true } d ? DecimalEncoding.FromBytes(bytes, d.Scale, 0) : bytes;
            default:
                throw new InvalidOperationException($"unexpected schema type {schema.Type}");
        }
    }

    // JSON has no NaN or infinities; they travel as the strings "NaN", "Infinity" and "-Infinity".
    private static double ReadFloatingPoint(JsonElement json, string path) => json.ValueKind switch
    {
        JsonValueKind.Number => json.GetDouble(),
        JsonValueKind.String when json.GetString() is "NaN" or "Infinity" or "-Infinity" =>
            double.Parse(json.GetString()!, CultureInfo.InvariantCulture),
        _ => throw new MismatchException(path, $"expected a number, got {json.ValueKind}"),
    };

    private GenericRecord ReadRecord(RecordSchema r, JsonElement json, string path)
    {
        Expect(json, JsonValueKind.Object, "an object", path);
        var record = new GenericRecord(r);
        foreach (var field in r.Fields)
        {
            if (json.TryGetProperty(field.Name, out var value))
                record[field.Position] = Read(field.Schema, value, $"{path}.{field.Name}");
            else if (field.HasDefault)
                record[field.Position] = GenericValues.DeepCopy(field.DefaultValue);
            else
                throw new MismatchException(path, $"missing field '{field.Name}' (it has no default)");
        }
        // Data must not carry fields the schema lacks (likely a typo); defaults may, as other implementations allow.
        foreach (var property in _defaults ? [] : json.EnumerateObject())
        {
            if (r.GetField(property.Name) is null) throw new MismatchException(path, $"record {r.FullName} has no field '{property.Name}'");
        }
        return record;
    }

    private static byte[] ReadBytes(JsonElement json, string path)
    {
        var s = Expect(json, JsonValueKind.String, "a string of bytes", path).GetString()!;
        var bytes = new byte[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] > 0xff) throw new MismatchException(path, $"character U+{(int)s[i]:X4} is not a byte (0-255)");
            bytes[i] = (byte)s[i];
        }
        return bytes;
    }

    private static JsonElement Expect(JsonElement json, JsonValueKind kind, string what, string path) =>
        json.ValueKind == kind ? json : throw new MismatchException(path, $"expected {what}, got {json.ValueKind}");

    private sealed class MismatchException(string path, string message) : Exception(message)
    {
        public string Path { get; } = path;
    }
}
