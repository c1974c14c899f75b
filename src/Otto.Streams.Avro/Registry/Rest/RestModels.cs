using System.Text.Json.Serialization;

namespace Otto.Streams.Avro.Registry.Rest;

// Bodies of the Confluent Schema Registry REST API subset that HttpSchemaRegistryClient speaks and the dev
// server serves; kept in one place so the two cannot drift apart.

internal sealed record SchemaRequest([property: JsonPropertyName("schema")] string Schema);

internal sealed record IdResponse([property: JsonPropertyName("id")] int Id);

internal sealed record SchemaResponse([property: JsonPropertyName("schema")] string Schema);

internal sealed record SubjectVersionResponse(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("schema")] string Schema);

internal sealed record CompatibilityCheckResponse([property: JsonPropertyName("is_compatible")] bool IsCompatible);

internal sealed record ConfigResponse([property: JsonPropertyName("compatibilityLevel")] string CompatibilityLevel);

internal sealed record ConfigRequest([property: JsonPropertyName("compatibility")] string Compatibility);

internal sealed record ErrorResponse(
    [property: JsonPropertyName("error_code")] int ErrorCode,
    [property: JsonPropertyName("message")] string Message);

internal static class RestMediaTypes
{
    /// <summary>Confluent's content type for requests and responses.</summary>
    public const string SchemaRegistryV1 = "application/vnd.schemaregistry.v1+json";
}
