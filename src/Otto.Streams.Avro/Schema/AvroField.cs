using System.Text.Json;

namespace Otto.Streams.Avro.Schema;

/// <summary>A field of a record schema.</summary>
public sealed class AvroField
{
    internal AvroField(string name, AvroSchema schema, int position, string? doc, JsonElement? defaultJson,
        object? defaultValue, IReadOnlyList<string> aliases)
    {
        Name = name;
        Schema = schema;
        Position = position;
        Doc = doc;
        DefaultJson = defaultJson;
        DefaultValue = defaultValue;
        Aliases = aliases;
    }

    /// <summary>The field name.</summary>
    public string Name { get; }

    /// <summary>The field's schema.</summary>
    public AvroSchema Schema { get; }

    /// <summary>Zero-based position in the record.</summary>
    public int Position { get; }

    /// <summary>The documentation string, if any.</summary>
    public string? Doc { get; }

    /// <summary>True if the field declares a default value (which may be JSON null).</summary>
    public bool HasDefault => DefaultJson.HasValue;

    /// <summary>The default as written in the schema.</summary>
    public JsonElement? DefaultJson { get; }

    /// <summary>The default in the generic representation (see <see cref="Generic.GenericDatumWriter"/>).</summary>
    public object? DefaultValue { get; }

    /// <summary>Alternate names, used by schema resolution.</summary>
    public IReadOnlyList<string> Aliases { get; }
}
