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

    // One writer and one reader per thread, reused message after message: a serde call runs start to end on one
    // thread and never re-enters, and the only allocation left is the serialized array (or the decoded object).
    [ThreadStatic] private static AvroBinaryWriter? t_writer;
    [ThreadStatic] private static AvroBinaryReader? t_reader;

    public AvroSerDesOptions Options { get; } = options;

    /// <summary>Writes the wire-format header for <paramref name="schema"/> on the context's topic.</summary>
    public AvroBinaryWriter StartMessage(RecordSchema schema, SerializationContext context)
    {
        // TryGetValue first: the GetOrAdd lambda captures, which would allocate on every message.
        if (!_ids.TryGetValue((context.Topic, schema), out var id))
        {
            id = _ids.GetOrAdd((context.Topic, schema),
                key => FetchId(SubjectNames.For(Options.SubjectNameStrategy, key.Topic, Options.IsKey, key.Schema.FullName), key.Schema));
        }
        var writer = t_writer ??= new AvroBinaryWriter();
        writer.Reset();
        WireFormat.WriteHeader(writer, id);
        return writer;
    }

    /// <summary>The writer schema of a wire-format message, and a reader positioned at its body.</summary>
    public (int SchemaId, AvroSchema WriterSchema, AvroBinaryReader Body) OpenMessage(byte[] data)
    {
        var id = WireFormat.ReadSchemaId(data);
        if (!_schemas.TryGetValue(id, out var schema)) schema = _schemas.GetOrAdd(id, FetchSchema);
        var reader = t_reader ??= new AvroBinaryReader(default);
        reader.Reset(data.AsMemory(WireFormat.HeaderSize));
        return (id, schema, reader);
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
