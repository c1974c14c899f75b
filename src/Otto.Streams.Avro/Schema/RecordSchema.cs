namespace Otto.Streams.Avro.Schema;

/// <summary>A record schema.</summary>
public sealed class RecordSchema : NamedSchema
{
    private IReadOnlyList<AvroField> _fields = [];
    private Dictionary<string, AvroField> _byName = new();

    internal RecordSchema(string name, string? ns, string? doc, IReadOnlyList<string> aliases)
        : base(AvroType.Record, name, ns, doc, aliases) { }

    /// <summary>The fields in declaration order.</summary>
    public IReadOnlyList<AvroField> Fields => _fields;

    /// <summary>The field called <paramref name="name"/>, or null.</summary>
    public AvroField? GetField(string name) => _byName.GetValueOrDefault(name);

    // Set after the record's name is registered, so fields can refer to the record itself (recursion).
    internal void SetFields(IReadOnlyList<AvroField> fields)
    {
        _fields = fields;
        _byName = fields.ToDictionary(f => f.Name);
    }
}
