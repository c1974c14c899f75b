namespace Otto.Streams.Avro.Schema;

/// <summary>A map schema; keys are always strings.</summary>
public sealed class MapSchema : AvroSchema
{
    internal MapSchema(AvroSchema values) : base(AvroType.Map) => Values = values;

    /// <summary>The schema of every value.</summary>
    public AvroSchema Values { get; }
}
