using System.Text.Json.Nodes;
using Avro;

namespace Otto.Schemas.Cli;

/// <summary>
/// Fills record fields missing from a datum in the Avro JSON encoding with their schema defaults, as
/// kafka-avro-console-producer accepts them. Apache.Avro's <see cref="Avro.IO.JsonDecoder"/> follows the schema's
/// grammar and refuses a missing field even when it has a default.
/// </summary>
internal static class JsonDefaults
{
    public static JsonNode? Fill(Schema schema, JsonNode? value)
    {
        switch (schema)
        {
            case RecordSchema record when value is JsonObject obj:
                foreach (var field in record.Fields)
                {
                    if (obj.ContainsKey(field.Name)) obj[field.Name] = Fill(field.Schema, obj[field.Name]?.DeepClone());
                    else if (field.DefaultValue is not null) obj[field.Name] = FromDefault(field.Schema, JsonNode.Parse(field.DefaultValue.ToString(Newtonsoft.Json.Formatting.None)));
                }
                return obj;
            case UnionSchema union when value is JsonObject { Count: 1 } wrapped:
                var (label, inner) = wrapped.First();
                var branch = union.Schemas.FirstOrDefault(b => BranchName(b) == label);
                return branch is null ? wrapped : new JsonObject { [label] = Fill(branch, inner?.DeepClone()) };
            case ArraySchema array when value is JsonArray items:
                return new JsonArray(items.Select(i => Fill(array.ItemSchema, i?.DeepClone())).ToArray());
            case MapSchema map when value is JsonObject entries:
                return new JsonObject(entries.Select(e => KeyValuePair.Create(e.Key, Fill(map.ValueSchema, e.Value?.DeepClone()))));
            default:
                return value;
        }
    }

    // A default is the plain JSON value of the field's type (of a union's first branch); the JSON encoding wraps
    // non-null union values in their branch name.
    private static JsonNode? FromDefault(Schema schema, JsonNode? value) => schema switch
    {
        UnionSchema union when union.Schemas[0].Tag == Schema.Type.Null => null,
        UnionSchema union => new JsonObject { [BranchName(union.Schemas[0])] = FromDefault(union.Schemas[0], value) },
        RecordSchema record when value is JsonObject obj => new JsonObject(record.Fields.Where(f => obj.ContainsKey(f.Name))
            .Select(f => KeyValuePair.Create(f.Name, FromDefault(f.Schema, obj[f.Name]?.DeepClone())))),
        ArraySchema array when value is JsonArray items => new JsonArray(items.Select(i => FromDefault(array.ItemSchema, i?.DeepClone())).ToArray()),
        MapSchema map when value is JsonObject entries => new JsonObject(entries.Select(e => KeyValuePair.Create(e.Key, FromDefault(map.ValueSchema, e.Value?.DeepClone())))),
        _ => value,
    };

    private static string BranchName(Schema schema) => schema switch
    {
        NamedSchema named => named.Fullname,
        LogicalSchema logical => BranchName(logical.BaseSchema),
        _ => schema.Tag.ToString().ToLowerInvariant(),
    };
}
