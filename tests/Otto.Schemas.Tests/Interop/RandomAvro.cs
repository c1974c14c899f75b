using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;

namespace Otto.Schemas.Tests.Interop;

/// <summary>
/// Seeded random schemas and values in Apache.Avro's generic representation, for interop with the reference
/// implementation. Unions are a null and one other branch: python3-avro's writer picks the first branch a value
/// fits and the oracle maps a union value to its one non-null branch, so the branch is never ambiguous. Logical
/// types are those the oracle maps (decimal on bytes, timestamp-millis).
/// </summary>
internal sealed class RandomAvro(int seed)
{
    private static readonly string[] Numbers = ["boolean", "int", "long", "float", "double"];
    private readonly Random _random = new(seed);
    private int _names;

    /// <summary>A schema as JSON text, nested at most <paramref name="depth"/> levels.</summary>
    public string Schema(int depth) => SchemaNode(depth, allowUnion: true).ToJsonString();

    private JsonNode SchemaNode(int depth, bool allowUnion)
    {
        var kind = depth <= 0 ? 0 : _random.Next(allowUnion ? 8 : 7);
        return kind switch
        {
            0 or 1 => Primitive(),
            2 => Record(depth),
            3 => new JsonObject { ["type"] = "enum", ["name"] = $"E{_names++}", ["symbols"] = new JsonArray(Enumerable.Range(0, _random.Next(1, 5)).Select(i => (JsonNode)$"S{i}").ToArray()) },
            4 => new JsonObject { ["type"] = "fixed", ["name"] = $"F{_names++}", ["size"] = _random.Next(1, 9) }, // Apache.Avro C# refuses fixed(0), which the spec allows
            5 => new JsonObject { ["type"] = "array", ["items"] = SchemaNode(depth - 1, true) },
            6 => new JsonObject { ["type"] = "map", ["values"] = SchemaNode(depth - 1, true) },
            _ => _random.Next(2) == 0
                ? new JsonArray("null", SchemaNode(depth - 1, allowUnion: false))
                : new JsonArray(SchemaNode(depth - 1, allowUnion: false), "null"),
        };
    }

    private JsonNode Primitive() => _random.Next(10) switch
    {
        0 => "null",
        1 => "string",
        2 => "bytes",
        3 => DecimalSchema(),
        4 => new JsonObject { ["type"] = "long", ["logicalType"] = "timestamp-millis" },
        _ => Numbers[_random.Next(Numbers.Length)],
    };

    private JsonObject DecimalSchema()
    {
        var precision = _random.Next(1, 19);
        return new JsonObject { ["type"] = "bytes", ["logicalType"] = "decimal", ["precision"] = precision, ["scale"] = _random.Next(0, precision + 1) };
    }

    private JsonObject Record(int depth)
    {
        var fields = new JsonArray();
        var count = _random.Next(0, 5);
        for (var i = 0; i < count; i++) fields.Add(new JsonObject { ["name"] = $"f{i}", ["type"] = SchemaNode(depth - 1, true) });
        return new JsonObject { ["type"] = "record", ["name"] = $"R{_names++}", ["namespace"] = "rnd", ["fields"] = fields };
    }

    /// <summary>A random value of <paramref name="schema"/> as Apache.Avro's generic writer takes it.</summary>
    public object? Value(Schema schema) => schema switch
    {
        UnionSchema u => Value(u.Schemas[_random.Next(u.Schemas.Count)]),
        RecordSchema r => RecordValue(r),
        EnumSchema e => new GenericEnum(e, e.Symbols[_random.Next(e.Symbols.Count)]),
        FixedSchema f => new GenericFixed(f, Bytes(f.Size)),
        ArraySchema a => Enumerable.Range(0, _random.Next(4)).Select(_ => Value(a.ItemSchema)).ToArray(),
        MapSchema m => Enumerable.Range(0, _random.Next(4)).Select(i => $"k{i}{String(3)}").Distinct().ToDictionary(k => k, k => Value(m.ValueSchema)),
        LogicalSchema { LogicalTypeName: "decimal" } d => Decimal(d),
        LogicalSchema { LogicalTypeName: "timestamp-millis" } =>
            DateTime.UnixEpoch.AddMilliseconds(_random.NextInt64(0, 4_102_444_800_000L)),
        { Tag: Avro.Schema.Type.Null } => null,
        { Tag: Avro.Schema.Type.Boolean } => _random.Next(2) == 0,
        { Tag: Avro.Schema.Type.Int } => (int)Integer(32),
        { Tag: Avro.Schema.Type.Long } => Integer(64),
        { Tag: Avro.Schema.Type.Float } => (float)((_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-30, 30))),
        { Tag: Avro.Schema.Type.Double } => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-300, 300)),
        { Tag: Avro.Schema.Type.Bytes } => Bytes(_random.Next(0, 12)),
        { Tag: Avro.Schema.Type.String } => String(_random.Next(0, 12)),
        _ => throw new InvalidOperationException(schema.ToString()),
    };

    private GenericRecord RecordValue(RecordSchema r)
    {
        var record = new GenericRecord(r);
        foreach (var f in r.Fields) record.Add(f.Name, Value(f.Schema));
        return record;
    }

    private long Integer(int bits) => _random.Next(4) switch
    {
        0 => _random.Next(-2, 3),
        1 => bits == 32 ? (_random.Next(2) == 0 ? int.MinValue : int.MaxValue) : (_random.Next(2) == 0 ? long.MinValue : long.MaxValue),
        _ => bits == 32 ? _random.Next(int.MinValue, int.MaxValue) : _random.NextInt64(long.MinValue, long.MaxValue),
    };

    // Unscaled digits within the precision, at exactly the schema's scale (the reference writer insists on it).
    private AvroDecimal Decimal(LogicalSchema schema)
    {
        var precision = int.Parse(schema.GetProperty("precision")!);
        var scale = int.Parse(schema.GetProperty("scale") ?? "0");
        var digits = _random.Next(0, precision + 1);
        var unscaled = digits == 0 ? BigInteger.Zero : new BigInteger(_random.NextInt64((long)Math.Pow(10, digits - 1), (long)Math.Min(Math.Pow(10, digits), 1e18)));
        return new AvroDecimal(_random.Next(2) == 0 ? -unscaled : unscaled, scale);
    }

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string String(int length)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            switch (_random.Next(4))
            {
                case 0: sb.Append((char)_random.Next(0, 0x80)); break;
                case 1: sb.Append((char)_random.Next(0x80, 0xd800)); break;
                case 2: sb.Append(char.ConvertFromUtf32(_random.Next(0x10000, 0x10ffff))); break;
                default: sb.Append((char)_random.Next('a', 'z' + 1)); break;
            }
        }
        return sb.ToString();
    }
}
