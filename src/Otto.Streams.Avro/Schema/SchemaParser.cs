using System.Text.Json;
using System.Text.RegularExpressions;
using Otto.Streams.Avro.Generic;

namespace Otto.Streams.Avro.Schema;

/// <summary>
/// Parses schema JSON per the Avro 1.11 spec. Named types defined while parsing are kept aside and added to
/// the shared <see cref="SchemaNames"/> only when the whole schema parsed, so a failed parse leaves no trace.
/// </summary>
internal sealed partial class SchemaParser
{
    private readonly SchemaNames _names;
    private readonly Dictionary<string, NamedSchema> _defined = new(StringComparer.Ordinal);

    private SchemaParser(SchemaNames names) => _names = names;

    public static AvroSchema Parse(string json, SchemaNames names)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new AvroSchemaException("schema", $"not valid JSON: {e.Message}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            var rootPath = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("name", out var n)
                && n.ValueKind == JsonValueKind.String ? n.GetString()! : "schema";
            var parser = new SchemaParser(names);
            var schema = parser.ParseSchema(root, null, rootPath);
            foreach (var named in parser._defined.Values) names.Add(named);
            return schema;
        }
    }

    private AvroSchema ParseSchema(JsonElement e, string? ns, string path) => e.ValueKind switch
    {
        JsonValueKind.String => ParseReference(e.GetString()!, ns, path),
        JsonValueKind.Array => ParseUnion(e, ns, path),
        JsonValueKind.Object => ParseObject(e, ns, path),
        _ => throw new AvroSchemaException(path, $"expected a type name, object or array, not {e.ValueKind}"),
    };

    private AvroSchema ParseReference(string name, string? ns, string path)
    {
        if (PrimitiveSchema.TryParseName(name, out var primitive)) return PrimitiveSchema.Of(primitive);
        if (!name.Contains('.') && ns is not null && TryLookup($"{ns}.{name}", out var qualified)) return qualified;
        if (TryLookup(name, out var named)) return named;
        throw new AvroSchemaException(path, $"unknown type '{name}'", name.Contains('.') || ns is null ? name : $"{ns}.{name}");
    }

    private bool TryLookup(string fullName, out NamedSchema schema) =>
        _defined.TryGetValue(fullName, out schema!) || _names.TryGet(fullName, out schema);

    private AvroSchema ParseObject(JsonElement e, string? ns, string path)
    {
        if (!e.TryGetProperty("type", out var typeElement))
            throw new AvroSchemaException(path, "missing 'type'");
        if (typeElement.ValueKind != JsonValueKind.String)
            return ParseSchema(typeElement, ns, path + ".type");
        var type = typeElement.GetString()!;
        if (PrimitiveSchema.TryParseName(type, out var primitive))
            return PrimitiveSchema.WithLogicalType(primitive, LogicalTypes.Read(e, primitive, 0));
        return type switch
        {
            "record" or "error" => ParseRecord(e, ns, path),
            "enum" => ParseEnum(e, ns, path),
            "fixed" => ParseFixed(e, ns, path),
            "array" => new ArraySchema(ParseSchema(Required(e, "items", path), ns, path + ".items")),
            "map" => new MapSchema(ParseSchema(Required(e, "values", path), ns, path + ".values")),
            _ => ParseReference(type, ns, path + ".type"),
        };
    }

    private UnionSchema ParseUnion(JsonElement e, string? ns, string path)
    {
        var branches = new List<AvroSchema>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var branchPath = $"{path}[{i++}]";
            var branch = ParseSchema(item, ns, branchPath);
            if (branch.Type == AvroType.Union)
                throw new AvroSchemaException(branchPath, "a union may not immediately contain another union");
            // Unnamed types may appear once per union; named types once per full name.
            var key = branch is NamedSchema named ? named.FullName : PrimitiveOrContainerKey(branch);
            if (!seen.Add(key))
                throw new AvroSchemaException(branchPath, $"duplicate union branch '{key}'");
            branches.Add(branch);
        }
        if (branches.Count == 0) throw new AvroSchemaException(path, "a union needs at least one branch");
        return new UnionSchema(branches);
    }

    private static string PrimitiveOrContainerKey(AvroSchema s) => s.Type switch
    {
        AvroType.Array => "array",
        AvroType.Map => "map",
        _ => PrimitiveSchema.NameOf(s.Type),
    };

    private RecordSchema ParseRecord(JsonElement e, string? ns, string path)
    {
        var (name, space) = ReadName(e, ns, path);
        var record = new RecordSchema(name, space, OptionalString(e, "doc", path), ReadAliases(e, space, path));
        Define(record, path);
        var fieldsElement = Required(e, "fields", path);
        if (fieldsElement.ValueKind != JsonValueKind.Array)
            throw new AvroSchemaException(path + ".fields", "must be an array");
        var fields = new List<AvroField>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in fieldsElement.EnumerateArray())
        {
            var fieldPath = $"{path}.fields[{fields.Count}]";
            if (f.ValueKind != JsonValueKind.Object) throw new AvroSchemaException(fieldPath, "a field must be an object");
            var fieldName = RequiredString(f, "name", fieldPath);
            if (!IsValidName(fieldName)) throw new AvroSchemaException(fieldPath + ".name", $"invalid field name '{fieldName}'");
            if (!names.Add(fieldName)) throw new AvroSchemaException(fieldPath + ".name", $"duplicate field name '{fieldName}'");
            var fieldSchema = ParseSchema(Required(f, "type", fieldPath), record.Namespace, fieldPath + ".type");
            JsonElement? defaultJson = null;
            object? defaultValue = null;
            if (f.TryGetProperty("default", out var d))
            {
                defaultJson = d.Clone();
                defaultValue = Json.JsonDatumReader.ReadDefault(fieldSchema, d, fieldPath + ".default");
            }
            var aliases = ReadStringArray(f, "aliases", fieldPath);
            fields.Add(new AvroField(fieldName, fieldSchema, fields.Count, OptionalString(f, "doc", fieldPath),
                defaultJson, defaultValue, aliases));
        }
        record.SetFields(fields);
        return record;
    }

    private EnumSchema ParseEnum(JsonElement e, string? ns, string path)
    {
        var (name, space) = ReadName(e, ns, path);
        var symbols = ReadStringArray(e, "symbols", path);
        if (!e.TryGetProperty("symbols", out _)) throw new AvroSchemaException(path, "missing 'symbols'");
        for (var i = 0; i < symbols.Count; i++)
        {
            if (!IsValidName(symbols[i])) throw new AvroSchemaException($"{path}.symbols[{i}]", $"invalid symbol '{symbols[i]}'");
            if (symbols.Take(i).Contains(symbols[i])) throw new AvroSchemaException($"{path}.symbols[{i}]", $"duplicate symbol '{symbols[i]}'");
        }
        var defaultSymbol = OptionalString(e, "default", path);
        if (defaultSymbol is not null && !symbols.Contains(defaultSymbol))
            throw new AvroSchemaException(path + ".default", $"'{defaultSymbol}' is not one of the symbols");
        var schema = new EnumSchema(name, space, OptionalString(e, "doc", path), ReadAliases(e, space, path), symbols, defaultSymbol);
        Define(schema, path);
        return schema;
    }

    private FixedSchema ParseFixed(JsonElement e, string? ns, string path)
    {
        var (name, space) = ReadName(e, ns, path);
        var sizeElement = Required(e, "size", path);
        if (sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt32(out var size) || size < 0)
            throw new AvroSchemaException(path + ".size", "must be a non-negative integer");
        var schema = new FixedSchema(name, space, OptionalString(e, "doc", path), ReadAliases(e, space, path), size,
            LogicalTypes.Read(e, AvroType.Fixed, size));
        Define(schema, path);
        return schema;
    }

    private void Define(NamedSchema schema, string path)
    {
        if (PrimitiveSchema.TryParseName(schema.FullName, out _))
            throw new AvroSchemaException(path + ".name", $"'{schema.FullName}' is a primitive type name");
        if (TryLookup(schema.FullName, out _))
            throw new AvroSchemaException(path + ".name", $"'{schema.FullName}' is already defined");
        _defined.Add(schema.FullName, schema);
    }

    private static (string Name, string? Namespace) ReadName(JsonElement e, string? enclosing, string path)
    {
        var name = RequiredString(e, "name", path);
        string? space;
        var dot = name.LastIndexOf('.');
        if (dot >= 0)
        {
            space = name[..dot];
            name = name[(dot + 1)..];
        }
        else
        {
            space = e.TryGetProperty("namespace", out var ns) && ns.ValueKind != JsonValueKind.Null
                ? OptionalString(e, "namespace", path)
                : enclosing;
        }
        if (!IsValidName(name)) throw new AvroSchemaException(path + ".name", $"invalid name '{name}'");
        if (!string.IsNullOrEmpty(space) && !space.Split('.').All(IsValidName))
            throw new AvroSchemaException(path + ".namespace", $"invalid namespace '{space}'");
        return (name, string.IsNullOrEmpty(space) ? null : space);
    }

    private static IReadOnlyList<string> ReadAliases(JsonElement e, string? ns, string path) =>
        ReadStringArray(e, "aliases", path).Select(a => a.Contains('.') || ns is null ? a : $"{ns}.{a}").ToList();

    private static IReadOnlyList<string> ReadStringArray(JsonElement e, string property, string path)
    {
        if (!e.TryGetProperty(property, out var a)) return [];
        if (a.ValueKind != JsonValueKind.Array) throw new AvroSchemaException($"{path}.{property}", "must be an array of strings");
        var result = new List<string>();
        foreach (var item in a.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new AvroSchemaException($"{path}.{property}[{result.Count}]", "must be a string");
            result.Add(item.GetString()!);
        }
        return result;
    }

    private static JsonElement Required(JsonElement e, string property, string path) =>
        e.TryGetProperty(property, out var v) ? v : throw new AvroSchemaException(path, $"missing '{property}'");

    private static string RequiredString(JsonElement e, string property, string path) =>
        OptionalString(e, property, path) ?? throw new AvroSchemaException(path, $"missing '{property}'");

    private static string? OptionalString(JsonElement e, string property, string path)
    {
        if (!e.TryGetProperty(property, out var v)) return null;
        return v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : throw new AvroSchemaException($"{path}.{property}", "must be a string");
    }

    private static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();
}
