using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Otto.Streams.SerDes;

namespace Otto.Streams.SchemaRegistry;

/// <summary>
/// A generated Avro record type in Confluent's wire format, through Confluent's <see cref="AvroSerializer{T}"/>
/// and <see cref="AvroDeserializer{T}"/> (subject per topic, TopicNameStrategy). Before decoding, the body is
/// checked against its writer schema (<see cref="AvroBodyCheck"/>). A failure of the registry itself is thrown as
/// <see cref="RegistryFailureException"/> (the worker stops); anything else wrong with a record is thrown as it
/// came, for the engine's dead-letter handling.
/// </summary>
public sealed class AvroSerDes<T> : SerDes<T> where T : ISpecificRecord
{
    private const int HeaderSize = 5; // magic byte 0, schema id (int32, big-endian)
    private readonly ISchemaRegistryClient _registry;
    private readonly ISerializer<T> _serializer;
    private readonly IDeserializer<T> _deserializer;
    private readonly ConcurrentDictionary<int, Avro.Schema> _writerSchemas = new();

    /// <summary>Creates the serde.</summary>
    /// <param name="registry">Confluent's registry client (<see cref="Otto.Schemas.Registry.SchemaRegistryOptions.CreateClient"/>).</param>
    /// <param name="autoRegisterSchemas">Register <typeparamref name="T"/>'s schema on first use (the embedded
    /// set-up); when false, the schema must already be registered under the topic's subject.</param>
    public AvroSerDes(ISchemaRegistryClient registry, bool autoRegisterSchemas)
    {
        _registry = registry;
        _serializer = new AvroSerializer<T>(registry, new AvroSerializerConfig { AutoRegisterSchemas = autoRegisterSchemas }).AsSyncOverAsync();
        _deserializer = new AvroDeserializer<T>(registry).AsSyncOverAsync();
    }

    /// <inheritdoc />
    public override byte[] Serialize(T data, SerializationContext context)
    {
        try
        {
            return _serializer.Serialize(data, context);
        }
        catch (Exception e) when (RegistryFailureException.Classify(e, context.Topic, serializing: true) is { } failure)
        {
            throw failure;
        }
    }

    /// <inheritdoc />
    public override T Deserialize(byte[] data, SerializationContext context)
    {
        try
        {
            if (data.Length < HeaderSize || data[0] != 0)
                throw new InvalidDataException($"not Confluent's Avro wire format (magic byte 0, then a 4-byte schema id): {data.Length} bytes{(data.Length > 0 ? $", the first is {data[0]}" : "")}");
            AvroBodyCheck.Check(WriterSchema(BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(1))), data.AsSpan(HeaderSize));
            return _deserializer.Deserialize(data, isNull: false, context);
        }
        catch (Exception e) when (RegistryFailureException.Classify(e, context.Topic, serializing: false) is { } failure)
        {
            throw failure;
        }
    }

    // The registry client caches schemas by id; the parsed form is kept here so it is parsed once.
    private Avro.Schema WriterSchema(int id)
    {
        if (_writerSchemas.TryGetValue(id, out var schema)) return schema;
        var registered = _registry.GetSchemaAsync(id).ConfigureAwait(false).GetAwaiter().GetResult();
        return _writerSchemas.GetOrAdd(id, Avro.Schema.Parse(registered.SchemaString));
    }
}
