using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Otto.Streams.Avro.Registry.Rest;

namespace Otto.Streams.Avro.Registry;

/// <summary>
/// Client of the Confluent Schema Registry REST API. Caches schemas by id and ids by (subject, schema), so
/// serdes hit the network once per schema. Retries network errors, timeouts and 5xx responses with exponential
/// backoff; maps error bodies to <see cref="SchemaRegistryException"/>.
/// </summary>
public sealed class HttpSchemaRegistryClient : ISchemaRegistryClient, IDisposable
{
    private static readonly JsonSerializerOptions Json = new();
    private readonly HttpSchemaRegistryClientOptions _options;
    private readonly Uri[] _baseUrls;
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue? _auth;
    private readonly ConcurrentDictionary<int, string> _schemasById = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), int> _idsBySubjectSchema = new();
    private readonly ConcurrentDictionary<(string Subject, string Schema), RegisteredSchema> _lookups = new();

    /// <summary>Creates a client.</summary>
    /// <exception cref="ArgumentException">No valid http(s) URL.</exception>
    public HttpSchemaRegistryClient(HttpSchemaRegistryClientOptions options)
    {
        _options = options;
        _baseUrls = options.Url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => new Uri(u.EndsWith('/') ? u : u + "/", UriKind.Absolute))
            .ToArray();
        if (_baseUrls.Length == 0 || _baseUrls.Any(u => u.Scheme is not ("http" or "https")))
            throw new ArgumentException("schema registry URL must be one or more http(s) URLs", nameof(options));
        _http = options.HttpMessageHandler is null
            ? new HttpClient(RegistryTls.Handler(options), disposeHandler: true)
            : new HttpClient(options.HttpMessageHandler, disposeHandler: false);
        _http.Timeout = options.Timeout;
        _auth = options.BasicAuthUserInfo is { } userInfo
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)))
            : options.BearerToken is { } token ? new AuthenticationHeaderValue("Bearer", token) : null;
    }

    /// <inheritdoc />
    public async Task<int> RegisterAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        if (_idsBySubjectSchema.TryGetValue((subject, schema), out var cached)) return cached;
        var response = await SendAsync<IdResponse>(HttpMethod.Post, $"subjects/{Escape(subject)}/versions",
            new SchemaRequest(schema), cancellationToken).ConfigureAwait(false);
        _idsBySubjectSchema[(subject, schema)] = response.Id;
        return response.Id;
    }

    /// <inheritdoc />
    public async Task<string> GetSchemaByIdAsync(int id, CancellationToken cancellationToken = default)
    {
        if (_schemasById.TryGetValue(id, out var cached)) return cached;
        var response = await SendAsync<SchemaResponse>(HttpMethod.Get, $"schemas/ids/{id}", null, cancellationToken).ConfigureAwait(false);
        return _schemasById.GetOrAdd(id, response.Schema);
    }

    /// <inheritdoc />
    public async Task<RegisteredSchema> LookupAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        if (_lookups.TryGetValue((subject, schema), out var cached)) return cached;
        var response = await SendAsync<SubjectVersionResponse>(HttpMethod.Post, $"subjects/{Escape(subject)}",
            new SchemaRequest(schema), cancellationToken).ConfigureAwait(false);
        var result = ToRegistered(response);
        _lookups[(subject, schema)] = result;
        _idsBySubjectSchema[(subject, schema)] = result.Id;
        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetSubjectsAsync(CancellationToken cancellationToken = default) =>
        await SendAsync<List<string>>(HttpMethod.Get, "subjects", null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> GetVersionsAsync(string subject, CancellationToken cancellationToken = default) =>
        await SendAsync<List<int>>(HttpMethod.Get, $"subjects/{Escape(subject)}/versions", null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<RegisteredSchema> GetVersionAsync(string subject, int version, CancellationToken cancellationToken = default) =>
        GetVersionAsync(subject, version.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    /// <inheritdoc />
    public Task<RegisteredSchema> GetLatestVersionAsync(string subject, CancellationToken cancellationToken = default) =>
        GetVersionAsync(subject, "latest", cancellationToken);

    /// <inheritdoc />
    public async Task<bool> TestCompatibilityAsync(string subject, string schema, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<CompatibilityCheckResponse>(HttpMethod.Post,
            $"compatibility/subjects/{Escape(subject)}/versions/latest", new SchemaRequest(schema), cancellationToken).ConfigureAwait(false);
        return response.IsCompatible;
    }

    /// <inheritdoc />
    public async Task<CompatibilityLevel> GetCompatibilityAsync(string? subject = null, CancellationToken cancellationToken = default)
    {
        var path = subject is null ? "config" : $"config/{Escape(subject)}?defaultToGlobal=true";
        var response = await SendAsync<ConfigResponse>(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return CompatibilityLevels.Parse(response.CompatibilityLevel);
    }

    /// <inheritdoc />
    public async Task SetCompatibilityAsync(CompatibilityLevel level, string? subject = null, CancellationToken cancellationToken = default)
    {
        var path = subject is null ? "config" : $"config/{Escape(subject)}";
        await SendAsync<ConfigRequest>(HttpMethod.Put, path, new ConfigRequest(level.ToWireName()), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CompatibilityLevel> DeleteCompatibilityAsync(string subject, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync<ConfigResponse>(HttpMethod.Delete, $"config/{Escape(subject)}", null, cancellationToken).ConfigureAwait(false);
        return CompatibilityLevels.Parse(response.CompatibilityLevel);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> DeleteSubjectAsync(string subject, bool permanent = false, CancellationToken cancellationToken = default)
    {
        var versions = await SendAsync<List<int>>(HttpMethod.Delete, $"subjects/{Escape(subject)}{Permanent(permanent)}", null, cancellationToken).ConfigureAwait(false);
        Forget(subject);
        return versions;
    }

    /// <inheritdoc />
    public async Task<int> DeleteVersionAsync(string subject, int version, bool permanent = false, CancellationToken cancellationToken = default)
    {
        var path = $"subjects/{Escape(subject)}/versions/{(version == -1 ? "latest" : version.ToString(System.Globalization.CultureInfo.InvariantCulture))}{Permanent(permanent)}";
        var deleted = await SendAsync<int>(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
        Forget(subject);
        return deleted;
    }

    /// <summary>Disposes the HTTP client (not a handler passed in the options).</summary>
    public void Dispose() => _http.Dispose();

    private async Task<RegisteredSchema> GetVersionAsync(string subject, string version, CancellationToken cancellationToken) =>
        ToRegistered(await SendAsync<SubjectVersionResponse>(HttpMethod.Get, $"subjects/{Escape(subject)}/versions/{version}",
            null, cancellationToken).ConfigureAwait(false));

    private static string Permanent(bool permanent) => permanent ? "?permanent=true" : "";

    // A deleted version must not be answered from the caches; ids stay valid (the registry keeps them readable).
    private void Forget(string subject)
    {
        foreach (var key in _lookups.Keys.Where(k => k.Subject == subject)) _lookups.TryRemove(key, out _);
        foreach (var key in _idsBySubjectSchema.Keys.Where(k => k.Subject == subject)) _idsBySubjectSchema.TryRemove(key, out _);
    }

    private static RegisteredSchema ToRegistered(SubjectVersionResponse r) => new(r.Subject, r.Version, r.Id, r.Schema);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private async Task<T> SendAsync<T>(HttpMethod method, string relativePath, object? body, CancellationToken cancellationToken)
    {
        SchemaRegistryException? last = null;
        for (var attempt = 0; attempt <= _options.MaxRetries; attempt++)
        {
            if (attempt > 0) await Task.Delay(BackoffFor(attempt), _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            var url = new Uri(_baseUrls[attempt % _baseUrls.Length], relativePath);
            try
            {
                using var request = CreateRequest(method, url, body);
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return JsonSerializer.Deserialize<T>(content, Json)
                        ?? throw new SchemaRegistryException(SchemaRegistryErrorCodes.Unreachable, (int)response.StatusCode, $"empty response from {method} {relativePath}");
                }
                last = ToException((int)response.StatusCode, content, method, relativePath);
                if ((int)response.StatusCode < 500) throw last;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException
                || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Network error, a timeout of this attempt, or a garbled body: worth another attempt.
                last = new SchemaRegistryException(SchemaRegistryErrorCodes.Unreachable, 0,
                    $"{method} {relativePath} failed: {e.GetType().Name}: {e.Message}", e);
            }
        }
        throw last!;
    }

    private TimeSpan BackoffFor(int attempt)
    {
        var delay = _options.RetryBackoff * Math.Pow(2, attempt - 1);
        return delay < _options.MaxRetryBackoff ? delay : _options.MaxRetryBackoff;
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, Uri url, object? body)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(RestMediaTypes.SchemaRegistryV1));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.9));
        request.Headers.Authorization = _auth;
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), Json), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(RestMediaTypes.SchemaRegistryV1);
        }
        return request;
    }

    private static SchemaRegistryException ToException(int status, string content, HttpMethod method, string path)
    {
        try
        {
            var error = JsonSerializer.Deserialize<ErrorResponse>(content, Json);
            if (error is not null && error.ErrorCode != 0) return new SchemaRegistryException(error.ErrorCode, status, error.Message);
        }
        catch (JsonException)
        {
            // Not a registry error body (e.g. a proxy's HTML page): fall through to the status code.
        }
        return new SchemaRegistryException(status, status, $"{method} {path} returned HTTP {status}");
    }
}
