namespace Otto.Streams.Avro.Schema;

/// <summary>A fixed schema: a named byte sequence of a declared size.</summary>
public sealed class FixedSchema : NamedSchema
{
    internal FixedSchema(string name, string? ns, string? doc, IReadOnlyList<string> aliases, int size,
        LogicalType? logicalType)
        : base(AvroType.Fixed, name, ns, doc, aliases, logicalType)
    {
        Size = size;
    }

    /// <summary>Number of bytes.</summary>
    public int Size { get; }
}
