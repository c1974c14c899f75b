using System.Collections.Concurrent;
using Confluent.Kafka;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Registry;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Serdes;

/// <summary>
/// The registry side of a serde: the writer schema id per subject and the parsed schema per id, each fetched
/// once so the hot path is a dictionary lookup.
/// </summary>
internal sealed class SchemaRegistryCache(ISchemaRegistryClient registry, AvroSerDesOptions options)
{
    // Keyed by topic and schema instance rather than subject, so the hot path builds no subject string; not by
    // fingerprint, which ignores logical types and docs that the registered JSON keeps.
    private readonly ConcurrentDictionary<(string Topic, RecordSchema Schema), int> _ids = new();
    private readonly ConcurrentDictionary<int, AvroSchema> _schemas = new();

    public AvroSerDesOptions Options { get; } = options;

    /// <summary>Writes the wire-format header for <paramref name="schema"/> on the context's topic.</summary>
    public AvroBinaryWriter StartMessage(RecordSchema schema, SerializationContext context)
    {
        var id = _ids.GetOrAdd((context.Topic, schema),
            key => FetchId(SubjectNames.For(Options.SubjectNameStrategy, key.Topic, Options.IsKey, schema.FullName), schema));
        var writer = new AvroBinaryWriter();
        WireFormat.WriteHeader(writer, id);
        return writer;
    }

    /// <summary>The writer schema of a wire-format message, and a reader positioned at its body.</summary>
    public (int SchemaId, AvroSchema WriterSchema, AvroBinaryReader Body) OpenMessage(byte[] data)
    {
        var id = WireFormat.ReadSchemaId(data);
        var schema = _schemas.GetOrAdd(id, FetchSchema);
        return (id, schema, new AvroBinaryReader(data.AsMemory(WireFormat.HeaderSize)));
    }

    private int FetchId(string subject, RecordSchema schema)
    {
        var json = schema.ToJson();
        return Options.AutoRegisterSchemas
            ? SyncOverAsync.Run(() => registry.RegisterAsync(subject, json))
            : SyncOverAsync.Run(async () => (await registry.LookupAsync(subject, json).ConfigureAwait(false)).Id);
    }

    private AvroSchema FetchSchema(int id)
    {
        string json;
        try
        {
            json = SyncOverAsync.Run(() => registry.GetSchemaByIdAsync(id));
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == SchemaRegistryErrorCodes.SchemaNotFound)
        {
            throw new AvroException($"unknown schema id {id}: the registry has no schema with this id", e);
        }
        try
        {
            return AvroSchema.Parse(json);
        }
        catch (AvroSchemaException e)
        {
            throw new AvroException($"schema id {id} from the registry is not valid Avro: {e.Message}", e);
        }
    }
}
