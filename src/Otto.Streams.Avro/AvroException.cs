namespace Otto.Streams.Avro;

/// <summary>
/// The one exception type this library throws for unreadable data, invalid schemas, failed schema resolution
/// and registry failures (see <see cref="Registry.SchemaRegistryException"/>), so a serde caller catches one type.
/// </summary>
public class AvroException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public AvroException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the underlying cause.</summary>
    public AvroException(string message, Exception? inner) : base(message, inner) { }
}
