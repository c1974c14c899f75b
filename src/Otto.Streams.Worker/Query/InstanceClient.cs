using System.Net.Http.Headers;

namespace Otto.Streams.Worker.Query;

/// <summary>Asks another instance's read side: one HttpClient with a short timeout, the request marked as forwarded
/// (so the other instance answers from its own stores and never forwards again, which rules out loops) and carrying
/// the application's key (Otto:Query:ApiKey, the same for every instance) when it has one.</summary>
public sealed class InstanceClient(TimeSpan timeout, string? apiKey = null) : IDisposable
{
    /// <summary>Request header naming the instance that forwarded a request.</summary>
    public const string ForwardedByHeader = "X-Otto-Forwarded-By";

    /// <summary>Response header naming the instance whose stores answered.</summary>
    public const string ServedByHeader = "X-Otto-Served-By";

    private readonly HttpClient _http = new() { Timeout = timeout };

    /// <summary>GETs <paramref name="url"/> and returns the answer as it came (status, type, body, served-by).</summary>
    /// <exception cref="InstanceUnreachableException">No answer within the timeout, or no connection.</exception>
    public async Task<QueryReply> GetAsync(string url, string forwardedBy, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(ForwardedByHeader, forwardedBy);
        if (!string.IsNullOrWhiteSpace(apiKey)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        try
        {
            using var response = await _http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            var headers = response.Headers.TryGetValues(ServedByHeader, out var servedBy)
                ? new Dictionary<string, string> { [ServedByHeader] = string.Join(",", servedBy) }
                : new Dictionary<string, string>();
            return new QueryReply((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "application/json", body) { Headers = headers };
        }
        catch (HttpRequestException e)
        {
            throw new InstanceUnreachableException($"{url}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new InstanceUnreachableException($"{url}: no answer within {timeout.TotalSeconds:0.###} s", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>Another instance did not answer.</summary>
public sealed class InstanceUnreachableException(string message, Exception inner) : Exception(message, inner);
