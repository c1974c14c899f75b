using System.Collections.Concurrent;
using Confluent.Kafka;
using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.Registry;
using Otto.Streams.Avro.Schema;
using Otto.Streams.SerDes;

namespace Otto.Streams.Avro.Serdes;

/// <summary>
/// Serde for <see cref="GenericRecord"/> in the Confluent wire format. Writes with each record's own schema;
/// reads as the writer's schema, or resolves to a fixed reader schema when one is given.
/// </summary>
public sealed class GenericAvroSerDes : SerDes<GenericRecord>
{
    private readonly SchemaRegistryCache _cache;
    private readonly RecordSchema? _readerSchema;
    private readonly ConcurrentDictionary<int, GenericDatumReader> _readers = new();
    private readonly ConcurrentDictionary<RecordSchema, GenericDatumWriter> _writers = new();

    /// <summary>Creates the serde.</summary>
    /// <param name="registry">The registry client.</param>
    /// <param name="options">Key or value, subject naming, auto-registration; defaults when null.</param>
    /// <param name="readerSchema">Schema to resolve incoming data to; null to read as written.</param>
    public GenericAvroSerDes(ISchemaRegistryClient registry, AvroSerDesOptions? options = null, RecordSchema? readerSchema = null)
    {
        _cache = new SchemaRegistryCache(registry, options ?? new AvroSerDesOptions());
        _readerSchema = readerSchema;
    }

    /// <inheritdoc />
    public override byte[] Serialize(GenericRecord data, SerializationContext context)
    {
        var writer = _cache.StartMessage(data.Schema, context);
        _writers.GetOrAdd(data.Schema, s => new GenericDatumWriter(s)).Write(writer, data);
        return writer.ToArray();
    }

    /// <inheritdoc />
    public override GenericRecord Deserialize(byte[] data, SerializationContext context)
    {
        var (id, writerSchema, body) = _cache.OpenMessage(data);
        var reader = _readers.GetOrAdd(id, _ => new GenericDatumReader(writerSchema, _readerSchema ?? writerSchema));
        var value = reader.Read(body) as GenericRecord
            ?? throw new AvroException($"schema id {id} is not a record schema; {nameof(GenericAvroSerDes)} reads records");
        body.EnsureAtEnd();
        return value;
    }
}
