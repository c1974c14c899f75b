using System.Collections.Concurrent;
using Confluent.Kafka;
using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Registry;
using Otto.Streams.Avro.Specific;
using Otto.Streams.SerDes;

namespace Otto.Streams.Avro.Serdes;

/// <summary>
/// Serde for a generated Avro record type in the Confluent wire format. Serializing registers (or looks up)
/// <typeparamref name="T"/>'s schema once per subject. Deserializing fetches the writer schema by id once; data
/// written with <typeparamref name="T"/>'s own schema takes the generated fast path, data written with another
/// version is resolved to <typeparamref name="T"/>'s schema per the Avro spec. Every failure is an
/// <see cref="AvroException"/>.
/// </summary>
public sealed class AvroSerDes<T> : SerDes<T> where T : class, IAvroRecord<T>
{
    private readonly SchemaRegistryCache _cache;
    private readonly ConcurrentDictionary<int, Func<AvroBinaryReader, T>> _readers = new();

    /// <summary>Creates the serde.</summary>
    /// <param name="registry">The registry client, e.g. from <see cref="SchemaRegistryClientFactory.Create(string, string?, string?)"/>.</param>
    /// <param name="options">Key or value, subject naming, auto-registration; defaults when null.</param>
    public AvroSerDes(ISchemaRegistryClient registry, AvroSerDesOptions? options = null) =>
        _cache = new SchemaRegistryCache(registry, options ?? new AvroSerDesOptions());

    /// <inheritdoc />
    public override byte[] Serialize(T data, SerializationContext context)
    {
        var writer = _cache.StartMessage(T.Schema, context);
        data.Write(writer);
        return writer.ToArray();
    }

    /// <inheritdoc />
    public override T Deserialize(byte[] data, SerializationContext context)
    {
        var (id, writerSchema, body) = _cache.OpenMessage(data);
        // Same Parsing Canonical Form means the same encoding. It ignores logical types, but so does resolution:
        // like the Java implementation, values are decoded with the reader's logical types either way.
        if (!_readers.TryGetValue(id, out var read))
        {
            read = _readers.GetOrAdd(id, _ => writerSchema.Fingerprint == T.Schema.Fingerprint ? T.Read : Resolving(writerSchema));
        }
        var value = read(body);
        body.EnsureAtEnd();
        return value;
    }

    // Another schema version wrote the data: resolve it into T's schema generically, then re-encode with T's
    // schema and decode with the generated reader. Slower, but only for evolved data, and it keeps generated
    // code to one reader per type.
    private static Func<AvroBinaryReader, T> Resolving(Schema.AvroSchema writerSchema)
    {
        var resolver = new GenericDatumReader(writerSchema, T.Schema);
        var encoder = new GenericDatumWriter(T.Schema);
        return body =>
        {
            var generic = resolver.Read(body);
            var buffer = new AvroBinaryWriter();
            encoder.Write(buffer, generic);
            return T.Read(new AvroBinaryReader(buffer.ToArray()));
        };
    }
}
