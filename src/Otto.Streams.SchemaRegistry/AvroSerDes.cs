using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Streams.SchemaRegistry;

/// <summary>
/// A generated Avro record type in Confluent's wire format, through Confluent's <see cref="AvroSerializer{T}"/> and
/// <see cref="AvroDeserializer{T}"/> (subject per topic, TopicNameStrategy). Before decoding, the body is checked
/// against its writer schema (<see cref="AvroBodyCheck"/>). A failure of the registry itself is thrown as
/// <see cref="RegistryFailureException"/> (the worker stops); anything else wrong with a record is thrown as it came,
/// for Otto's dead-letter handling. A null value (a tombstone) is null bytes and back, as Streamiz's own serdes do.
/// <para>
/// Confluent's serdes cost 15-50 µs a call on top of Apache.Avro's encoding (measured: a PaymentState decoded in 53 µs
/// against 7 µs for Apache.Avro's reader alone; they hash the Avro schemas, which Apache.Avro does field by field, and
/// run their rule machinery on every call), ten times the old figure per fact. So each topic's first record and each
/// new writer schema id go through Confluent's code (which registers or looks up the schema and resolves it), and
/// later ones reuse what it established: the id it wrote, and Apache.Avro's <see cref="SpecificReader{T}"/> for the
/// writer schema it read — the same writer and reader Confluent's serdes call, with the same framing, so the bytes
/// and values are the same (tested). A writer schema that carries data-contract rules is always read through
/// Confluent's deserializer, since its rules would run there.
/// </para>
/// </summary>
public sealed class AvroSerDes<T> : AbstractSerDes<T> where T : class, ISpecificRecord
{
    private const int HeaderSize = 5; // magic byte 0, schema id (int32, big-endian)
    private readonly ISchemaRegistryClient _registry;
    private readonly ISerializer<T> _serializer;
    private readonly IDeserializer<T> _deserializer;
    private readonly ConcurrentDictionary<string, int> _idByTopic = new();
    private readonly ConcurrentDictionary<int, WriterSchema> _writers = new();
    private readonly SpecificWriter<T> _writer;
    private readonly Avro.Schema _readerSchema;

    // One encoding buffer per thread, grown to the largest record written and reused: a new stream per record grew
    // through 256, 512 and 1,024 bytes for a PaymentState. Only the record's own bytes are allocated.
    [ThreadStatic] private static MemoryStream? _buffer;

    /// <summary>Creates the serde.</summary>
    /// <param name="registry">Confluent's registry client (<see cref="Otto.Schemas.Registry.SchemaRegistryOptions.CreateClient"/>).</param>
    /// <param name="autoRegisterSchemas">Register <typeparamref name="T"/>'s schema on first use (the embedded
    /// set-up); when false, the schema must already be registered under the topic's subject.</param>
    public AvroSerDes(ISchemaRegistryClient registry, bool autoRegisterSchemas)
    {
        _registry = registry;
        _serializer = new AvroSerializer<T>(registry, new AvroSerializerConfig
        {
            AutoRegisterSchemas = autoRegisterSchemas,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        }).AsSyncOverAsync();
        _deserializer = new AvroDeserializer<T>(registry, new AvroDeserializerConfig { SubjectNameStrategy = SubjectNameStrategy.Topic }).AsSyncOverAsync();
        _readerSchema = Activator.CreateInstance<T>().Schema;
        _writer = new SpecificWriter<T>(_readerSchema);
    }

    /// <inheritdoc />
    public override byte[] Serialize(T data, SerializationContext context)
    {
        if (data is null) return null!;
        if (_idByTopic.TryGetValue(context.Topic, out var id))
        {
            var stream = _buffer ??= new MemoryStream(1024);
            stream.SetLength(0);
            Span<byte> header = [0, 0, 0, 0, 0];
            BinaryPrimitives.WriteInt32BigEndian(header[1..], id);
            stream.Write(header);
            _writer.Write(data, new BinaryEncoder(stream));
            return stream.ToArray();
        }
        try
        {
            var bytes = _serializer.Serialize(data, context);
            _idByTopic.TryAdd(context.Topic, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)));
            return bytes;
        }
        catch (Exception e) when (RegistryFailureException.Classify(e, context.Topic, serializing: true) is { } failure)
        {
            throw failure;
        }
    }

    /// <inheritdoc />
    public override T Deserialize(byte[] data, SerializationContext context)
    {
        if (data is null) return null!;
        try
        {
            if (data.Length < HeaderSize || data[0] != 0)
                throw new InvalidDataException($"not Confluent's Avro wire format (magic byte 0, then a 4-byte schema id): {data.Length} bytes{(data.Length > 0 ? $", the first is {data[0]}" : "")}");
            var id = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(1));
            var writer = _writers.TryGetValue(id, out var known) ? known : Fetch(id);
            AvroBodyCheck.Check(writer.Schema, data.AsSpan(HeaderSize));
            if (writer.Reader is { } reader)
                return reader.Read(default!, new BinaryDecoder(new MemoryStream(data, HeaderSize, data.Length - HeaderSize, writable: false)));
            var value = _deserializer.Deserialize(data, isNull: false, context);
            if (!writer.HasRules) _writers[id] = writer with { Reader = new SpecificReader<T>(Resolvable(writer.Schema), _readerSchema) };
            return value;
        }
        catch (Exception e) when (RegistryFailureException.Classify(e, context.Topic, serializing: false) is { } failure)
        {
            throw failure;
        }
    }

    // The writer schema to resolve against the reader's. When they are the same schema (the usual case: T's own
    // schema, registered), the reader's own instance: Apache.Avro then matches every union branch by reference
    // instead of comparing schemas field by field on each read (~4% of the stream thread in payments-embedded, for a
    // PaymentState's dozen unions). Same means the same JSON, doc, defaults and logical types included.
    private Avro.Schema Resolvable(Avro.Schema writer) =>
        string.Equals(writer.ToString(), _readerSchema.ToString(), StringComparison.Ordinal) ? _readerSchema : writer;

    // A writer schema as registered (the client caches it by id), parsed once; its reader comes after Confluent's
    // deserializer has read a record with it, unless its data-contract rules keep every record on Confluent's path.
    private sealed record WriterSchema(Avro.Schema Schema, bool HasRules, SpecificReader<T>? Reader = null);

    private WriterSchema Fetch(int id)
    {
        var registered = _registry.GetSchemaAsync(id).ConfigureAwait(false).GetAwaiter().GetResult();
        var hasRules = registered.RuleSet is { } rules
            && (rules.DomainRules is { Count: > 0 } || rules.EncodingRules is { Count: > 0 } || rules.MigrationRules is { Count: > 0 });
        return _writers.GetOrAdd(id, new WriterSchema(Avro.Schema.Parse(registered.SchemaString), hasRules));
    }
}
