using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.SchemaRegistry;
using Otto.Schemas.Registry;

namespace Otto.Schemas.Cli;

/// <summary>
/// A Schema Registry connection with the worker's settings, read from its environment variables (never from the
/// command line, where they would show in process lists; never printed): Otto__SchemaRegistry__BasicAuthUserInfo,
/// __BearerToken, __SslCaLocation, __SslCertificateLocation and __SslKeyLocation (PEM files). They are mapped onto
/// Confluent's client by <see cref="SchemaRegistryOptions"/>, as the worker's are, and onto an
/// <see cref="HttpClient"/> for the calls Confluent's client does not make (verbose compatibility checks, a
/// subject's level with the global default).
/// </summary>
internal sealed class RegistryConnection : IDisposable
{
    private const string MediaType = "application/vnd.schemaregistry.v1+json";
    private readonly HttpClient _http;

    public RegistryConnection(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ToolException($"--registry needs an http(s) URL, got '{url}'");
        var options = SchemaRegistryOptions.FromEnvironment(url);
        options.MaxRetries = 2;
        X509Certificate2? clientCertificate;
        try
        {
            clientCertificate = options.ClientCertificate();
            Client = options.CreateClient();
        }
        catch (ArgumentException e)
        {
            throw new ToolException(e.Message.Replace("Otto:SchemaRegistry:", "Otto__SchemaRegistry__", StringComparison.Ordinal));
        }

        // The same credentials and TLS for the calls Confluent's client does not make.
        var handler = new SocketsHttpHandler();
        if (clientCertificate is not null)
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(clientCertificate.Export(X509ContentType.Pkcs12), null)];
        if (options.SslCaLocation is { } ca)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(ca);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, errors) =>
            {
                if (errors == SslPolicyErrors.None) return true;
                if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(presented.GetRawCertData()));
            };
        }
        _http = new HttpClient(handler) { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = options.RequestTimeout };
        if (options.BasicAuthUserInfo is { } basic) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        else if (options.BearerToken is { } bearer) _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
    }

    /// <summary>Confluent's client.</summary>
    public ISchemaRegistryClient Client { get; }

    /// <summary>The subject's compatibility level: its own, else the registry's global one.</summary>
    public async Task<string> GetLevelAsync(string subject, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Get, $"config/{Uri.EscapeDataString(subject)}?defaultToGlobal=true", null, ct);
        return body["compatibilityLevel"]?.GetValue<string>() ?? throw new ToolException($"the registry's config for '{subject}' has no compatibilityLevel");
    }

    /// <summary>The registry's verdict on <paramref name="schema"/> following <paramref name="version"/> of
    /// <paramref name="subject"/>, with its reasons (POST /compatibility/subjects/{s}/versions/{v}?verbose=true).</summary>
    public async Task<(bool Compatible, IReadOnlyList<string> Messages)> CheckVersionAsync(string subject, int version, string schema, CancellationToken ct)
    {
        var body = await SendAsync(HttpMethod.Post, $"compatibility/subjects/{Uri.EscapeDataString(subject)}/versions/{version}?verbose=true",
            new JsonObject { ["schema"] = schema }, ct);
        var messages = body["messages"] is JsonArray array ? array.Select(m => m is JsonValue v && v.TryGetValue<string>(out var s) ? s : m?.ToJsonString() ?? "").ToList() : [];
        return (body["is_compatible"]?.GetValue<bool>() ?? false, messages);
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.ParseAdd(MediaType);
        if (content is not null) request.Content = new StringContent(content.ToJsonString(), Encoding.UTF8, MediaType);
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonNode? body = null;
        try
        {
            body = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Reported below with the status.
        }
        if (response.IsSuccessStatusCode && body is not null) return body;
        var code = body?["error_code"]?.GetValue<int>() ?? -1;
        var message = body?["message"]?.GetValue<string>() ?? text;
        throw new SchemaRegistryException(message, response.StatusCode, code);
    }

    private static string? Setting(string name) =>
        Environment.GetEnvironmentVariable($"Otto__SchemaRegistry__{name}") is { Length: > 0 } value ? value : null;

    public void Dispose()
    {
        Client.Dispose();
        _http.Dispose();
    }
}
