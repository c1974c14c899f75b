namespace Otto.Streams.Avro.Registry;

/// <summary>Confluent Schema Registry error codes, as returned in error bodies' "error_code".</summary>
public static class SchemaRegistryErrorCodes
{
    /// <summary>No response (network error or timeout after the retries).</summary>
    public const int Unreachable = -1;
    /// <summary>Subject not found.</summary>
    public const int SubjectNotFound = 40401;
    /// <summary>Version not found.</summary>
    public const int VersionNotFound = 40402;
    /// <summary>Schema not found.</summary>
    public const int SchemaNotFound = 40403;
    /// <summary>A permanent delete of a subject that was not soft-deleted first.</summary>
    public const int SubjectNotSoftDeleted = 40405;
    /// <summary>A permanent delete of a version that was not soft-deleted first.</summary>
    public const int VersionNotSoftDeleted = 40407;
    /// <summary>The subject has no subject-level compatibility configured.</summary>
    public const int SubjectCompatibilityNotConfigured = 40408;
    /// <summary>The schema is incompatible with earlier versions (HTTP 409).</summary>
    public const int IncompatibleSchema = 409;
    /// <summary>The schema is not valid.</summary>
    public const int InvalidSchema = 42201;
    /// <summary>The version is not valid.</summary>
    public const int InvalidVersion = 42202;
    /// <summary>The compatibility level is not valid.</summary>
    public const int InvalidCompatibilityLevel = 42203;
    /// <summary>Error in the backend data store.</summary>
    public const int BackendStoreError = 50001;

    /// <summary>The HTTP status Confluent uses for an error code.</summary>
    public static int HttpStatusOf(int errorCode) => errorCode switch
    {
        IncompatibleSchema => 409,
        >= 40400 and < 40500 => 404,
        >= 42200 and < 42300 => 422,
        >= 50000 and < 50100 => 500,
        _ => 500,
    };
}
