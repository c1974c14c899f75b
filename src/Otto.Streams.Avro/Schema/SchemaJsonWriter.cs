using System.Text.Encodings.Web;
using System.Text.Json;

namespace Otto.Streams.Avro.Schema;

/// <summary>
/// Writes a schema as JSON: either the full self-contained form (docs, defaults, aliases, logical types, every
/// named type defined at its first use) or the spec's Parsing Canonical Form.
/// </summary>
internal sealed class SchemaJsonWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        // Docs may hold any text; the registry stores schemas as JSON strings, so relaxed escaping is safe.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Utf8JsonWriter _w;
    private readonly bool _canonical;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    private SchemaJsonWriter(Utf8JsonWriter w, bool canonical)
    {
        _w = w;
        _canonical = canonical;
    }

    public static string Write(AvroSchema schema, bool canonical)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options))
        {
            new SchemaJsonWriter(w, canonical).WriteSchema(schema, enclosingNamespace: null);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private void WriteSchema(AvroSchema s, string? enclosingNamespace)
    {
        switch (s)
        {
            case PrimitiveSchema p:
                WritePrimitive(p);
                break;
            case NamedSchema n when !_written.Add(n.FullName):
                // Defined earlier in this document: refer to it by full name (also what makes recursion finite).
                _w.WriteStringValue(n.FullName);
                break;
            case RecordSchema r:
                WriteRecord(r, enclosingNamespace);
                break;
            case EnumSchema e:
                WriteEnum(e, enclosingNamespace);
                break;
            case FixedSchema f:
                WriteFixed(f, enclosingNamespace);
                break;
            case ArraySchema a:
                WriteContainer("array", "items", a.Items, enclosingNamespace);
                break;
            case MapSchema m:
                WriteContainer("map", "values", m.Values, enclosingNamespace);
                break;
            case UnionSchema u:
                _w.WriteStartArray();
                foreach (var b in u.Branches) WriteSchema(b, enclosingNamespace);
                _w.WriteEndArray();
                break;
            default:
                throw new InvalidOperationException($"unexpected schema {s.GetType().Name}");
        }
    }

    private void WritePrimitive(PrimitiveSchema p)
    {
        var name = PrimitiveSchema.NameOf(p.Type);
        if (_canonical || p.LogicalType is null)
        {
            _w.WriteStringValue(name);
            return;
        }
        _w.WriteStartObject();
        _w.WriteString("type", name);
        WriteLogicalType(p.LogicalType);
        _w.WriteEndObject();
    }

    private void WriteLogicalType(LogicalType lt)
    {
        _w.WriteString("logicalType", lt.Name);
        if (!lt.IsDecimal) return;
        _w.WriteNumber("precision", lt.Precision);
        _w.WriteNumber("scale", lt.Scale);
    }

    /// <summary>An array or map: its type and the schema of its elements.</summary>
    private void WriteContainer(string type, string elementProperty, AvroSchema element, string? enclosingNamespace)
    {
        _w.WriteStartObject();
        _w.WriteString("type", type);
        _w.WritePropertyName(elementProperty);
        WriteSchema(element, enclosingNamespace);
        _w.WriteEndObject();
    }

    private void WriteRecord(RecordSchema r, string? enclosingNamespace)
    {
        _w.WriteStartObject();
        WriteNameAndType(r, "record", enclosingNamespace);
        _w.WritePropertyName("fields");
        _w.WriteStartArray();
        foreach (var f in r.Fields)
        {
            _w.WriteStartObject();
            _w.WriteString("name", f.Name);
            _w.WritePropertyName("type");
            WriteSchema(f.Schema, r.Namespace);
            if (!_canonical)
            {
                if (f.Doc is not null) _w.WriteString("doc", f.Doc);
                if (f.DefaultJson is { } d)
                {
                    _w.WritePropertyName("default");
                    d.WriteTo(_w);
                }
                WriteAliases(f.Aliases);
            }
            _w.WriteEndObject();
        }
        _w.WriteEndArray();
        WriteDocAndAliases(r);
        _w.WriteEndObject();
    }

    private void WriteEnum(EnumSchema e, string? enclosingNamespace)
    {
        _w.WriteStartObject();
        WriteNameAndType(e, "enum", enclosingNamespace);
        _w.WritePropertyName("symbols");
        _w.WriteStartArray();
        foreach (var symbol in e.Symbols) _w.WriteStringValue(symbol);
        _w.WriteEndArray();
        if (!_canonical && e.Default is not null) _w.WriteString("default", e.Default);
        WriteDocAndAliases(e);
        _w.WriteEndObject();
    }

    private void WriteFixed(FixedSchema f, string? enclosingNamespace)
    {
        _w.WriteStartObject();
        WriteNameAndType(f, "fixed", enclosingNamespace);
        _w.WriteNumber("size", f.Size);
        if (!_canonical && f.LogicalType is not null) WriteLogicalType(f.LogicalType);
        WriteDocAndAliases(f);
        _w.WriteEndObject();
    }

    // Canonical form: [FULLNAMES] and [ORDER] name before type. Full form: short name plus a namespace
    // attribute only where it differs from the one the type would inherit.
    private void WriteNameAndType(NamedSchema n, string type, string? enclosingNamespace)
    {
        if (_canonical)
        {
            _w.WriteString("name", n.FullName);
            _w.WriteString("type", type);
            return;
        }
        _w.WriteString("type", type);
        _w.WriteString("name", n.Name);
        if (n.Namespace != enclosingNamespace) _w.WriteString("namespace", n.Namespace ?? "");
    }

    private void WriteDocAndAliases(NamedSchema n)
    {
        if (_canonical) return;
        if (n.Doc is not null) _w.WriteString("doc", n.Doc);
        WriteAliases(n.Aliases);
    }

    private void WriteAliases(IReadOnlyList<string> aliases)
    {
        if (aliases.Count == 0) return;
        _w.WritePropertyName("aliases");
        _w.WriteStartArray();
        foreach (var a in aliases) _w.WriteStringValue(a);
        _w.WriteEndArray();
    }
}
