using System.Collections.Specialized;
using System.Net;
using System.Text;
using System.Web;

namespace Otto.Streams.Worker.Hosting;

/// <summary>What a route handler sees of a request.</summary>
/// <param name="Method">GET, POST, ...</param>
/// <param name="Path">The URL path, e.g. /payments/p-1.</param>
/// <param name="Query">Query-string parameters.</param>
/// <param name="Headers">Request headers.</param>
public sealed record HttpRequestData(string Method, string Path, NameValueCollection Query, NameValueCollection Headers)
{
    /// <summary>The values of the route's {placeholders}, set by the router.</summary>
    public IReadOnlyDictionary<string, string> RouteValues { get; init; } = new Dictionary<string, string>();

    internal static HttpRequestData From(HttpListenerRequest request) =>
        new(request.HttpMethod, request.Url?.AbsolutePath ?? "/", HttpUtility.ParseQueryString(request.Url?.Query ?? ""), request.Headers);
}

/// <summary>A response: status, content type, body, extra headers.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="ContentType">Content-Type.</param>
/// <param name="Body">The body text (UTF-8).</param>
public sealed record HttpReply(int Status, string ContentType, string Body)
{
    /// <summary>Extra response headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A JSON reply.</summary>
    public static HttpReply Json(int status, string json) => new(status, "application/json; charset=utf-8", json);

    /// <summary>A plain-text reply.</summary>
    public static HttpReply Text(int status, string text) => new(status, "text/plain; charset=utf-8", text);

    internal async Task WriteToAsync(HttpListenerResponse response, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(Body);
        response.StatusCode = Status;
        response.ContentType = ContentType;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes, ct);
        response.Close();
    }
}

/// <summary>
/// Routes requests by method and path pattern: literal segments and {placeholders} ("/payments/{id}"), matched
/// segment by segment, URL-decoded. Unknown paths get 404 listing the routes; a known path with another method 405.
/// </summary>
public sealed class HttpRouter
{
    private readonly List<(string Method, string[] Segments, string Pattern, Func<HttpRequestData, CancellationToken, Task<HttpReply>> Handler)> _routes = [];

    /// <summary>Adds a route answered by an asynchronous handler.</summary>
    public HttpRouter Map(string method, string pattern, Func<HttpRequestData, CancellationToken, Task<HttpReply>> handler)
    {
        _routes.Add((method, Split(pattern), pattern, handler));
        return this;
    }

    /// <summary>Adds a GET route answered at once.</summary>
    public HttpRouter MapGet(string pattern, Func<HttpRequestData, HttpReply> handler) =>
        Map("GET", pattern, (request, _) => Task.FromResult(handler(request)));

    /// <summary>Answers a request.</summary>
    public Task<HttpReply> DispatchAsync(HttpRequestData request, CancellationToken ct)
    {
        var segments = Split(request.Path);
        var pathKnown = false;
        foreach (var (method, pattern, _, handler) in _routes)
        {
            if (Match(pattern, segments) is not { } values) continue;
            pathKnown = true;
            if (method == request.Method) return handler(request with { RouteValues = values }, ct);
        }
        return Task.FromResult(pathKnown
            ? HttpReply.Text(405, $"method {request.Method} not allowed here")
            : HttpReply.Text(404, "not found: try " + string.Join(", ", _routes.Select(r => r.Pattern).Distinct())));
    }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static Dictionary<string, string>? Match(string[] pattern, string[] path)
    {
        if (pattern.Length != path.Length) return null;
        var values = new Dictionary<string, string>();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i].StartsWith('{') && pattern[i].EndsWith('}')) values[pattern[i][1..^1]] = Uri.UnescapeDataString(path[i]);
            else if (!string.Equals(pattern[i], path[i], StringComparison.Ordinal)) return null;
        }
        return values;
    }
}
