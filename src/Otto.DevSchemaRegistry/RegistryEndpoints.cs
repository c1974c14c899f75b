using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Otto.Streams.Avro.Registry;
using Otto.Streams.Avro.Registry.Rest;

namespace Otto.DevSchemaRegistry;

/// <summary>Maps the REST routes onto the in-memory registry; registry errors become Confluent error bodies.</summary>
internal static class RegistryEndpoints
{
    public static void Map(IEndpointRouteBuilder app, InMemorySchemaRegistry registry)
    {
        app.MapPost("/subjects/{subject}/versions", (string subject, HttpRequest request) =>
            Handle(request, body => new IdResponse(registry.Register(subject, SchemaOf(body)))));
        app.MapPost("/subjects/{subject}", (string subject, HttpRequest request) =>
            Handle(request, body => ToResponse(registry.Lookup(subject, SchemaOf(body)))));
        app.MapGet("/schemas/ids/{id:int}", (int id, HttpRequest request) =>
            Handle(request, _ => new SchemaResponse(registry.GetSchemaById(id))));
        app.MapGet("/subjects", (HttpRequest request) => Handle(request, _ => registry.GetSubjects()));
        app.MapGet("/subjects/{subject}/versions", (string subject, HttpRequest request) =>
            Handle(request, _ => registry.GetVersions(subject)));
        app.MapGet("/subjects/{subject}/versions/{version}", (string subject, string version, HttpRequest request) =>
            Handle(request, _ => ToResponse(registry.GetVersion(subject, ParseVersion(version)))));
        app.MapPost("/compatibility/subjects/{subject}/versions/{version}", (string subject, string version, HttpRequest request) =>
            Handle(request, body =>
            {
                // The in-memory registry checks against the subject's history per its level; the version must exist.
                registry.GetVersion(subject, ParseVersion(version));
                return new CompatibilityCheckResponse(registry.TestCompatibility(subject, SchemaOf(body)));
            }));
        app.MapGet("/config", (HttpRequest request) =>
            Handle(request, _ => new ConfigResponse(registry.GetCompatibility().ToWireName())));
        app.MapPut("/config", (HttpRequest request) => Handle(request, body =>
        {
            var level = LevelOf(body);
            registry.SetCompatibility(level);
            return new ConfigRequest(level.ToWireName());
        }));
        app.MapGet("/config/{subject}", (string subject, bool? defaultToGlobal, HttpRequest request) => Handle(request, _ =>
        {
            var level = registry.GetSubjectCompatibility(subject)
                ?? (defaultToGlobal == true
                    ? registry.GetCompatibility()
                    : throw new SchemaRegistryException(SchemaRegistryErrorCodes.SubjectCompatibilityNotConfigured, 404,
                        $"subject '{subject}' does not have subject-level compatibility configured"));
            return new ConfigResponse(level.ToWireName());
        }));
        app.MapDelete("/config/{subject}", (string subject, HttpRequest request) =>
            Handle(request, _ => new ConfigResponse(registry.DeleteCompatibility(subject).ToWireName())));
        app.MapDelete("/subjects/{subject}", (string subject, bool? permanent, HttpRequest request) =>
            Handle(request, _ => registry.DeleteSubject(subject, permanent == true)));
        app.MapDelete("/subjects/{subject}/versions/{version}", (string subject, string version, bool? permanent, HttpRequest request) =>
            Handle(request, _ => registry.DeleteVersion(subject, ParseVersion(version), permanent == true)));
        app.MapPut("/config/{subject}", (string subject, HttpRequest request) => Handle(request, body =>
        {
            var level = LevelOf(body);
            registry.SetCompatibility(level, subject);
            return new ConfigRequest(level.ToWireName());
        }));
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
            return Results.Json(action(body), contentType: RestMediaTypes.SchemaRegistryV1);
        }
        catch (SchemaRegistryException e)
        {
            return Error(e.ErrorCode, e.HttpStatus, e.Message);
        }
        catch (JsonException e)
        {
            return Error(SchemaRegistryErrorCodes.InvalidSchema, 422, $"request body is not valid JSON: {e.Message}");
        }
    }

    private static IResult Error(int code, int status, string message) =>
        Results.Json(new ErrorResponse(code, message), statusCode: status, contentType: RestMediaTypes.SchemaRegistryV1);

    private static string SchemaOf(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()!
            : throw new SchemaRegistryException(SchemaRegistryErrorCodes.InvalidSchema, 422, "request body needs a \"schema\" string");

    private static CompatibilityLevel LevelOf(JsonElement? body) =>
        body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("compatibility", out var c) && c.ValueKind == JsonValueKind.String
            ? CompatibilityLevels.Parse(c.GetString()!)
            : throw new SchemaRegistryException(SchemaRegistryErrorCodes.InvalidCompatibilityLevel, 422, "request body needs a \"compatibility\" string");

    private static int ParseVersion(string version) =>
        version == "latest" ? -1
        : int.TryParse(version, out var v) && v > 0 ? v
        : throw new SchemaRegistryException(SchemaRegistryErrorCodes.InvalidVersion, 422, $"invalid version '{version}'");

    private static SubjectVersionResponse ToResponse(RegisteredSchema s) => new(s.Subject, s.Version, s.Id, s.Schema);
}
