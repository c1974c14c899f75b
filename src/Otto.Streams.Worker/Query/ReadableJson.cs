using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using Avro;
using Avro.Specific;

namespace Otto.Streams.Worker.Query;

/// <summary>
/// A generated record as JSON for people: field names and nesting as in its schema, union values bare, decimals as
/// exact strings ("10.50"), timestamps in ISO-8601 UTC. Avro's JSON encoding (Apache.Avro's JsonEncoder) would
/// write a union as {"type": value} and a decimal as its two's-complement bytes, which no one reads; this is not
/// meant to be read back.
/// </summary>
internal static class ReadableJson
{
    public static JsonNode Write(ISpecificRecord record) => Value(record.Schema, record)!;

    private static JsonNode? Value(Schema schema, object? value) => (schema, value) switch
    {
        (_, null) => null,
        (UnionSchema union, _) => Value(union.Schemas.First(b => b.Tag != Schema.Type.Null && Fits(b, value)), value),
        (RecordSchema r, ISpecificRecord rec) => new JsonObject(r.Fields.Select(f => KeyValuePair.Create(f.Name, Value(f.Schema, rec.Get(f.Pos))))),
        (ArraySchema a, IEnumerable items) => new JsonArray(items.Cast<object?>().Select(i => Value(a.ItemSchema, i)).ToArray()),
        (MapSchema m, IDictionary map) => new JsonObject(map.Keys.Cast<string>().Select(k => KeyValuePair.Create(k, Value(m.ValueSchema, map[k])))),
        (_, AvroDecimal d) => JsonValue.Create(d.ToString(null, CultureInfo.InvariantCulture)),
        (_, DateTime t) => JsonValue.Create(t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
        (_, Enum e) => JsonValue.Create(e.ToString()),
        (_, byte[] bytes) => JsonValue.Create(Convert.ToBase64String(bytes)),
        (_, string s) => JsonValue.Create(s),
        (_, bool b) => JsonValue.Create(b),
        (_, int i) => JsonValue.Create(i),
        (_, long l) => JsonValue.Create(l),
        (_, float f) => JsonValue.Create(f),
        (_, double d) => JsonValue.Create(d),
        _ => throw new ArgumentException($"{schema.Fullname} holds a {value.GetType().Name}, which Apache.Avro does not generate"),
    };

    // The union branch a generated value belongs to (Otto's unions are ["null", T], so this is mostly trivial).
    private static bool Fits(Schema branch, object value) => branch switch
    {
        RecordSchema or EnumSchema or FixedSchema => value.GetType().FullName == ((NamedSchema)branch).Fullname,
        LogicalSchema { LogicalTypeName: "decimal" } => value is AvroDecimal,
        LogicalSchema => value is DateTime,
        ArraySchema => value is IList,
        MapSchema => value is IDictionary,
        PrimitiveSchema { Tag: Schema.Type.String } => value is string,
        PrimitiveSchema { Tag: Schema.Type.Boolean } => value is bool,
        PrimitiveSchema { Tag: Schema.Type.Int } => value is int,
        PrimitiveSchema { Tag: Schema.Type.Long } => value is long,
        PrimitiveSchema { Tag: Schema.Type.Float } => value is float,
        PrimitiveSchema { Tag: Schema.Type.Double } => value is double,
        PrimitiveSchema { Tag: Schema.Type.Bytes } => value is byte[],
        _ => false,
    };
}
