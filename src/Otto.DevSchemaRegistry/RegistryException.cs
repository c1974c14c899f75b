namespace Otto.DevSchemaRegistry;

/// <summary>A refusal with Confluent's error code, sent as <c>{"error_code": ..., "message": ...}</c>.</summary>
/// <param name="errorCode">Confluent's code, e.g. 40401 (see <see cref="RegistryErrorCodes"/>).</param>
/// <param name="message">What went wrong.</param>
public sealed class RegistryException(int errorCode, string message) : Exception(message)
{
    /// <summary>Confluent's error code.</summary>
    public int ErrorCode { get; } = errorCode;

    /// <summary>The HTTP status Confluent's registry answers with for <see cref="ErrorCode"/>.</summary>
    public int HttpStatus => RegistryErrorCodes.HttpStatusOf(ErrorCode);
}

/// <summary>Confluent Schema Registry's error codes that the dev registry answers with.</summary>
public static class RegistryErrorCodes
{
    /// <summary>Subject not found.</summary>
    public const int SubjectNotFound = 40401;
    /// <summary>Version not found.</summary>
    public const int VersionNotFound = 40402;
    /// <summary>Schema not found.</summary>
    public const int SchemaNotFound = 40403;
    /// <summary>Subject not soft-deleted before a permanent delete.</summary>
    public const int SubjectNotSoftDeleted = 40405;
    /// <summary>Version not soft-deleted before a permanent delete.</summary>
    public const int VersionNotSoftDeleted = 40407;
    /// <summary>The subject has no compatibility level of its own.</summary>
    public const int SubjectCompatibilityNotConfigured = 40408;
    /// <summary>The schema is incompatible with earlier versions.</summary>
    public const int IncompatibleSchema = 409;
    /// <summary>The schema does not parse.</summary>
    public const int InvalidSchema = 42201;
    /// <summary>Not a version number or "latest".</summary>
    public const int InvalidVersion = 42202;
    /// <summary>Unknown compatibility level.</summary>
    public const int InvalidCompatibilityLevel = 42203;
    /// <summary>Unexpected server error.</summary>
    public const int BackendStoreError = 50001;

    /// <summary>The HTTP status of an error code.</summary>
    public static int HttpStatusOf(int errorCode) => errorCode switch
    {
        IncompatibleSchema => 409,
        >= 40400 and < 40500 => 404,
        >= 42200 and < 42300 => 422,
        _ => 500,
    };
}
