using System.Text;
using Microsoft.AspNetCore.Http;

namespace Otto.Streams.Worker.Query;

/// <summary>An answer of the read side, whether this instance wrote it or another instance's answer is passed on as
/// it came (status, type, body, <c>X-Otto-Served-By</c>): a minimal API result.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="ContentType">Content-Type.</param>
/// <param name="Body">The body text (UTF-8).</param>
public sealed record QueryReply(int Status, string ContentType, string Body) : IResult
{
    /// <summary>Extra response headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A JSON reply.</summary>
    public static QueryReply Json(int status, string json) => new(status, "application/json; charset=utf-8", json);

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = ContentType;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        var bytes = Encoding.UTF8.GetBytes(Body);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, httpContext.RequestAborted).AsTask();
    }
}
