using Avro.Specific;
using Confluent.SchemaRegistry;
using Otto.Streams.SchemaRegistry;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Payments;

/// <summary>The serdes of the payments topology: string keys, Avro values in the Confluent wire format.</summary>
public sealed class PaymentsSerDes(ISchemaRegistryClient registry, bool autoRegisterSchemas)
{
    /// <summary>Payment ids and correlation ids.</summary>
    public StringSerDes Key { get; } = new();

    /// <summary>A value serde for a generated record type.</summary>
    public ISerDes<T> Value<T>() where T : class, ISpecificRecord => new AvroSerDes<T>(registry, autoRegisterSchemas);
}
