using System.Text;
using System.Text.Json.Nodes;
using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Tests;

/// <summary>
/// Seeded random schemas and values for interop and fuzz tests. Union branches are drawn from distinct groups
/// (null / one number type / string or enum / bytes or fixed / record or map / array) so that every
/// implementation picks the same branch for a value, as the spec's JSON encoding and python3-avro's writer
/// (which picks the first branch a value fits) both need.
/// </summary>
internal sealed class RandomAvro(int seed)
{
    private static readonly string[] Numbers = ["boolean", "int", "long", "float", "double"];
    private readonly Random _random = new(seed);
    private int _names;

    public Random Random => _random;

    /// <summary>A schema as JSON text, nested at most <paramref name="depth"/> levels.</summary>
    public string Schema(int depth) => SchemaNode(depth, allowUnion: true).ToJsonString();

    private JsonNode SchemaNode(int depth, bool allowUnion)
    {
        var kind = depth <= 0 ? 0 : _random.Next(allowUnion ? 8 : 7);
        return kind switch
        {
            0 or 1 => Primitive(),
            2 => Record(depth),
            3 => Enum(),
            4 => Fixed(),
            5 => new JsonObject { ["type"] = "array", ["items"] = SchemaNode(depth - 1, true) },
            6 => new JsonObject { ["type"] = "map", ["values"] = SchemaNode(depth - 1, true) },
            _ => Union(depth),
        };
    }

    private static readonly (string Type, string Logical)[] LogicalPrimitives =
    [
        ("int", "date"), ("int", "time-millis"), ("long", "time-micros"), ("long", "timestamp-micros"),
        ("long", "local-timestamp-millis"), ("long", "local-timestamp-micros"), ("string", "uuid"),
    ];

    private JsonNode Primitive() => _random.Next(10) switch
    {
        9 => LogicalPrimitive(),
        0 => "null",
        1 => "string",
        2 => "bytes",
        3 => new JsonObject { ["type"] = "bytes", ["logicalType"] = "decimal", ["precision"] = _random.Next(1, 19), ["scale"] = 0 }.Also(o => o["scale"] = _random.Next(0, (int)o["precision"]! + 1)),
        4 => new JsonObject { ["type"] = "long", ["logicalType"] = "timestamp-millis" },
        _ => Numbers[_random.Next(Numbers.Length)],
    };

    private JsonObject LogicalPrimitive()
    {
        var (type, logical) = LogicalPrimitives[_random.Next(LogicalPrimitives.Length)];
        return new JsonObject { ["type"] = type, ["logicalType"] = logical };
    }

    private JsonObject Record(int depth)
    {
        var fields = new JsonArray();
        for (var i = 0; i < _random.Next(0, 5); i++) fields.Add(new JsonObject { ["name"] = $"f{i}", ["type"] = SchemaNode(depth - 1, true) });
        return new JsonObject { ["type"] = "record", ["name"] = $"R{_names++}", ["namespace"] = "rnd", ["fields"] = fields };
    }

    private JsonObject Enum() => new()
    {
        ["type"] = "enum", ["name"] = $"E{_names++}",
        ["symbols"] = new JsonArray(Enumerable.Range(0, _random.Next(1, 5)).Select(i => (JsonNode)$"S{i}").ToArray()),
    };

    private JsonObject Fixed() => _random.Next(3) == 0
        ? new() { ["type"] = "fixed", ["name"] = $"F{_names++}", ["size"] = 8, ["logicalType"] = "decimal", ["precision"] = _random.Next(2, 19), ["scale"] = 2 }
        : new() { ["type"] = "fixed", ["name"] = $"F{_names++}", ["size"] = _random.Next(0, 9) };

    private JsonArray Union(int depth)
    {
        Func<JsonNode>[] groups =
        [
            () => "null",
            () => Numbers[_random.Next(Numbers.Length)],
            () => _random.Next(2) == 0 ? "string" : Enum(),
            () => _random.Next(2) == 0 ? "bytes" : Fixed(),
            () => _random.Next(2) == 0 ? Record(depth - 1) : new JsonObject { ["type"] = "map", ["values"] = SchemaNode(depth - 1, true) },
            () => new JsonObject { ["type"] = "array", ["items"] = SchemaNode(depth - 1, true) },
        ];
        var chosen = groups.OrderBy(_ => _random.Next()).Take(_random.Next(1, 5));
        return new JsonArray(chosen.Select(g => g()).ToArray());
    }

    /// <summary>A random value of <paramref name="schema"/> in the generic representation.</summary>
    public object? Value(AvroSchema schema) => schema switch
    {
        UnionSchema u => Value(u.Branches[_random.Next(u.Branches.Count)]),
        RecordSchema r => RecordValue(r),
        EnumSchema e => new GenericEnum(e, e.Symbols[_random.Next(e.Symbols.Count)]),
        FixedSchema { LogicalType: { IsDecimal: true } d } => Decimal(d),
        FixedSchema f => new GenericFixed(f, Bytes(f.Size)),
        ArraySchema a => Enumerable.Range(0, _random.Next(4)).Select(_ => Value(a.Items)).ToList(),
        MapSchema m => Enumerable.Range(0, _random.Next(4)).Select(i => $"k{i}{String(3)}").Distinct()
            .ToDictionary(k => k, k => Value(m.Values)),
        { LogicalType.Name: "timestamp-millis" or "timestamp-micros" } s =>
            new DateTimeOffset(Ticks(s.LogicalType!), TimeSpan.Zero),
        { LogicalType.Name: "local-timestamp-millis" or "local-timestamp-micros" } s => new DateTime(Ticks(s.LogicalType!)),
        { LogicalType.Name: "date" } => DateOnly.FromDayNumber(_random.Next(DateOnly.MaxValue.DayNumber + 1)),
        { LogicalType.Name: "time-millis" } => new TimeOnly(_random.NextInt64(TimeSpan.TicksPerDay) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond),
        { LogicalType.Name: "time-micros" } => new TimeOnly(_random.NextInt64(TimeSpan.TicksPerDay) / 10 * 10),
        { LogicalType.Name: "uuid" } => new Guid(Bytes(16)),
        { Type: AvroType.Null } => null,
        { Type: AvroType.Boolean } => _random.Next(2) == 0,
        { Type: AvroType.Int } => (int)Integer(32),
        { Type: AvroType.Long } => Integer(64),
        { Type: AvroType.Float } => (float)((_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-30, 30))),
        { Type: AvroType.Double } => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-300, 300)),
        { Type: AvroType.Bytes, LogicalType: { IsDecimal: true } d } => Decimal(d),
        { Type: AvroType.Bytes } => Bytes(_random.Next(0, 12)),
        { Type: AvroType.String } => String(_random.Next(0, 12)),
        _ => throw new InvalidOperationException(schema.Type.ToString()),
    };

    private GenericRecord RecordValue(RecordSchema r)
    {
        var record = new GenericRecord(r);
        foreach (var f in r.Fields) record[f.Position] = Value(f.Schema);
        return record;
    }

    // A whole number of the logical type's unit, anywhere in DateTime's range.
    private long Ticks(LogicalType logical)
    {
        var unit = logical.Name.EndsWith("-micros", StringComparison.Ordinal) ? 10 : TimeSpan.TicksPerMillisecond;
        return _random.NextInt64(DateTime.MaxValue.Ticks) / unit * unit;
    }

    private long Integer(int bits) => _random.Next(4) switch
    {
        0 => _random.Next(-2, 3),
        1 => bits == 32 ? (_random.Next(2) == 0 ? int.MinValue : int.MaxValue) : (_random.Next(2) == 0 ? long.MinValue : long.MaxValue),
        _ => bits == 32 ? _random.Next(int.MinValue, int.MaxValue) : _random.NextInt64(long.MinValue, long.MaxValue),
    };

    private decimal Decimal(LogicalType d)
    {
        var digits = _random.Next(0, d.Precision + 1);
        var unscaled = digits == 0 ? 0m : (decimal)_random.NextInt64((long)Math.Pow(10, digits - 1), (long)Math.Min(Math.Pow(10, digits), 1e18));
        if (_random.Next(2) == 0) unscaled = -unscaled;
        return unscaled / (decimal)Math.Pow(10, d.Scale);
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

internal static class JsonNodeExtensions
{
    public static T Also<T>(this T node, Action<T> action)
    {
        action(node);
        return node;
    }
}
