using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Generic;

/// <summary>
/// Reads data written with <see cref="WriterSchema"/> into the generic representation of
/// <see cref="ReaderSchema"/> (see <see cref="GenericDatumWriter"/>), resolving the two per the spec.
/// </summary>
public sealed class GenericDatumReader
{
    private readonly Resolver.ReadStep _read;

    /// <summary>Reads data written with <paramref name="schema"/> as that same schema.</summary>
    public GenericDatumReader(AvroSchema schema) : this(schema, schema) { }

    /// <summary>Reads data written with <paramref name="writerSchema"/> as <paramref name="readerSchema"/>.
    /// Resolution problems surface as <see cref="AvroException"/> when the data reaches them.</summary>
    public GenericDatumReader(AvroSchema writerSchema, AvroSchema readerSchema)
    {
        WriterSchema = writerSchema;
        ReaderSchema = readerSchema;
        (_read, ResolutionProblems) = Resolver.Build(writerSchema, readerSchema);
    }

    /// <summary>The schema the data was written with.</summary>
    public AvroSchema WriterSchema { get; }

    /// <summary>The schema the caller wants to read as.</summary>
    public AvroSchema ReaderSchema { get; }

    /// <summary>Where the schemas do not resolve (empty when every possible datum can be read).</summary>
    public IReadOnlyList<string> ResolutionProblems { get; }

    /// <summary>Decodes one datum.</summary>
    /// <exception cref="AvroException">The data is corrupt or truncated, or reaches a resolution problem.</exception>
    public object? Read(AvroBinaryReader reader) => _read(reader);
}
