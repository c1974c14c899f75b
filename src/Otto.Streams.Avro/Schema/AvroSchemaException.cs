namespace Otto.Streams.Avro.Schema;

/// <summary>A schema is not valid Avro. The message starts with the JSON path of the offending element.</summary>
public sealed class AvroSchemaException : AvroException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public AvroSchemaException(string path, string message, string? unknownTypeName = null)
        : base($"{path}: {message}")
    {
        Path = path;
        UnknownTypeName = unknownTypeName;
    }

    /// <summary>Where in the schema the problem is, e.g. <c>PaymentAdded.fields[3].type</c>.</summary>
    public string Path { get; }

    /// <summary>Set when the problem is a reference to a named type not (yet) defined; lets a caller parsing
    /// many files retry once the dependency is parsed.</summary>
    public string? UnknownTypeName { get; }
}
