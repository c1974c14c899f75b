using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Otto.Schemas.Compatibility;

namespace Otto.DevSchemaRegistry;

/// <summary>Maps Confluent's REST routes onto the in-memory registry; refusals become Confluent error bodies.</summary>
internal static class RegistryEndpoints
{
    private const string MediaType = "application/vnd.schemaregistry.v1+json";

    public static void Map(IEndpointRouteBuilder app, InMemoryRegistry registry)
    {
        app.MapGet("/", () => Results.Json(new { }, contentType: MediaType));
        // normalize is accepted and changes nothing: ids already follow the Parsing Canonical Form.
        app.MapPost("/subjects/{subject}/versions", (string subject, HttpRequest request) =>
            Handle(request, body => new { id = registry.Register(subject, SchemaOf(body)) }));
        app.MapPost("/subjects/{subject}", (string subject, bool? deleted, HttpRequest request) =>
            Handle(request, body => Version(registry.Lookup(subject, SchemaOf(body), deleted == true))));
        app.MapGet("/schemas/ids/{id:int}", (int id, HttpRequest request) =>
            Handle(request, _ => new { schema = registry.GetSchemaById(id) }));
        app.MapGet("/schemas/ids/{id:int}/schema", (int id, HttpRequest request) =>
            Handle(request, _ => JsonDocument.Parse(registry.GetSchemaById(id)).RootElement));
        app.MapGet("/subjects", (bool? deleted, HttpRequest request) => Handle(request, _ => registry.GetSubjects(deleted == true)));
        app.MapGet("/subjects/{subject}/versions", (string subject, bool? deleted, HttpRequest request) =>
            Handle(request, _ => registry.GetVersions(subject, deleted == true)));
        app.MapGet("/subjects/{subject}/versions/{version}", (string subject, string version, bool? deleted, HttpRequest request) =>
            Handle(request, _ => Version(registry.GetVersion(subject, ParseVersion(version), deleted == true))));
        app.MapGet("/subjects/{subject}/versions/{version}/schema", (string subject, string version, HttpRequest request) =>
            Handle(request, _ => JsonDocument.Parse(registry.GetVersion(subject, ParseVersion(version)).Schema).RootElement));
        app.MapPost("/compatibility/subjects/{subject}/versions/{version}", (string subject, string version, bool? verbose, HttpRequest request) =>
            Handle(request, body => Compatibility(registry.CompatibilityProblems(subject, SchemaOf(body), ParseVersion(version)), verbose == true)));
        app.MapPost("/compatibility/subjects/{subject}/versions", (string subject, bool? verbose, HttpRequest request) =>
            Handle(request, body => Compatibility(registry.CompatibilityProblems(subject, SchemaOf(body), null), verbose == true)));
        app.MapGet("/config", (HttpRequest request) =>
            Handle(request, _ => new { compatibilityLevel = registry.GetCompatibility().ToWireName() }));
        app.MapPut("/config", (HttpRequest request) => Handle(request, body =>
        {
            var level = LevelOf(body);
            registry.SetCompatibility(level);
            return new { compatibility = level.ToWireName() };
        }));
        app.MapGet("/config/{subject}", (string subject, bool? defaultToGlobal, HttpRequest request) => Handle(request, _ =>
        {
            var level = registry.GetSubjectCompatibility(subject)
                ?? (defaultToGlobal == true
                    ? registry.GetCompatibility()
                    : throw new RegistryException(RegistryErrorCodes.SubjectCompatibilityNotConfigured,
                        $"Subject '{subject}' does not have subject-level compatibility configured"));
            return new { compatibilityLevel = level.ToWireName() };
        }));
        app.MapPut("/config/{subject}", (string subject, HttpRequest request) => Handle(request, body =>
        {
            var level = LevelOf(body);
            registry.SetCompatibility(level, subject);
            return new { compatibility = level.ToWireName() };
        }));
        app.MapDelete("/config/{subject}", (string subject, HttpRequest request) =>
            Handle(request, _ => new { compatibilityLevel = registry.DeleteCompatibility(subject).ToWireName() }));
        app.MapDelete("/subjects/{subject}", (string subject, bool? permanent, HttpRequest request) =>
            Handle(request, _ => registry.DeleteSubject(subject, permanent == true)));
        app.MapDelete("/subjects/{subject}/versions/{version}", (string subject, string version, bool? permanent, HttpRequest request) =>
            Handle(request, _ => registry.DeleteVersion(subject, ParseVersion(version), permanent == true)));
        // Confluent's 2.x serdes ask which subject a topic is associated with before using their subject name
        // strategy, and fall back to it on a 404: the dev registry keeps no associations.
        app.MapGet("/associations/resources/{resourceNamespace}/{resourceName}", (string resourceName) =>
            Error(40401, $"No associations found for resource '{resourceName}'"));
        app.MapFallback(() => Error(404, "HTTP 404 Not Found", status: 404));
    }

    private static async Task<IResult> Handle<T>(HttpRequest request, Func<JsonElement?, T> action)
    {
        try
        {
            JsonElement? body = null;
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
                body = doc.RootElement.Clone();
            }
            return Results.Json(action(body), contentType: MediaType);
        }
        catch (RegistryException e)
        {
            return Error(e.ErrorCode, e.Message);
        }
        catch (JsonException e)
        {
            return Error(RegistryErrorCodes.InvalidSchema, $"Request body is not valid JSON: {e.Message}", status: 422);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Error(RegistryErrorCodes.BackendStoreError, $"Internal error: {e.Message}");
        }
    }

    internal static IResult Error(int code, string message, int? status = null) =>
        Results.Json(new { error_code = code, message }, statusCode: status ?? RegistryErrorCodes.HttpStatusOf(code), contentType: MediaType);

    private static object Version(RegisteredVersion v) => new { subject = v.Subject, version = v.Version, id = v.Id, schema = v.Schema };

    private static object Compatibility(IReadOnlyList<string> problems, bool verbose) => verbose
        ? new { is_compatible = problems.Count == 0, messages = problems }
        : new { is_compatible = problems.Count == 0 };

    private static string SchemaOf(JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } b || !b.TryGetProperty("schema", out var s) || s.ValueKind != JsonValueKind.String)
            throw new RegistryException(RegistryErrorCodes.InvalidSchema, "Request body needs a \"schema\" string");
        if (b.TryGetProperty("schemaType", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() != "AVRO")
            throw new RegistryException(RegistryErrorCodes.InvalidSchema, $"Schema type {type.GetString()} is not served by the dev registry (AVRO only)");
        if (b.TryGetProperty("references", out var references) && references.ValueKind == JsonValueKind.Array && references.GetArrayLength() > 0)
            throw new RegistryException(RegistryErrorCodes.InvalidSchema, "Schema references are not served by the dev registry");
        return s.GetString()!;
    }

    private static CompatibilityLevel LevelOf(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("compatibility", out var c) && c.ValueKind == JsonValueKind.String
        && CompatibilityLevels.TryParse(c.GetString(), out var level)
            ? level
            : throw new RegistryException(RegistryErrorCodes.InvalidCompatibilityLevel, "Invalid compatibility level; request body needs a \"compatibility\" of NONE, BACKWARD, FORWARD, FULL or *_TRANSITIVE");

    private static int ParseVersion(string version) =>
        version == "latest" ? -1
        : int.TryParse(version, out var v) && (v > 0 || v == -1) ? v
        : throw new RegistryException(RegistryErrorCodes.InvalidVersion, $"The specified version '{version}' is not a valid version id");
}
