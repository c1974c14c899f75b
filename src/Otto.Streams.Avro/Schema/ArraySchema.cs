namespace Otto.Streams.Avro.Schema;

/// <summary>An array schema.</summary>
public sealed class ArraySchema : AvroSchema
{
    internal ArraySchema(AvroSchema items) : base(AvroType.Array) => Items = items;

    /// <summary>The schema of every item.</summary>
    public AvroSchema Items { get; }
}
