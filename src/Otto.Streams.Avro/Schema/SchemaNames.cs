namespace Otto.Streams.Avro.Schema;

/// <summary>
/// A table of named types by full name, so a schema can reference types parsed earlier (e.g. from other files).
/// </summary>
public sealed class SchemaNames
{
    private readonly Dictionary<string, NamedSchema> _byFullName = new(StringComparer.Ordinal);

    /// <summary>Every named type in the table.</summary>
    public IReadOnlyCollection<NamedSchema> All => _byFullName.Values;

    /// <summary>Looks a type up by full name.</summary>
    public bool TryGet(string fullName, out NamedSchema schema) => _byFullName.TryGetValue(fullName, out schema!);

    /// <summary>True if <paramref name="fullName"/> is defined.</summary>
    public bool Contains(string fullName) => _byFullName.ContainsKey(fullName);

    internal void Add(NamedSchema schema) => _byFullName.Add(schema.FullName, schema);
}
