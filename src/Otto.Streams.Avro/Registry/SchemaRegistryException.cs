namespace Otto.Streams.Avro.Registry;

/// <summary>A schema registry refused or failed a request. <see cref="ErrorCode"/> is Confluent's error code
/// (see <see cref="SchemaRegistryErrorCodes"/>).</summary>
public sealed class SchemaRegistryException : AvroException
{
    /// <summary>Creates the exception.</summary>
    public SchemaRegistryException(int errorCode, int httpStatus, string message, Exception? inner = null)
        : base($"schema registry error {errorCode} (HTTP {httpStatus}): {message}", inner)
    {
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
    }

    /// <summary>Confluent's error code, e.g. 40401; <see cref="SchemaRegistryErrorCodes.Unreachable"/> when no
    /// response arrived.</summary>
    public int ErrorCode { get; }

    /// <summary>The HTTP status, or 0 when no response arrived.</summary>
    public int HttpStatus { get; }
}
