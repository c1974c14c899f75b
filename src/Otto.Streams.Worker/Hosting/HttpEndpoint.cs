using System.Net;
using Microsoft.Extensions.Logging;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// One of the worker's HTTP endpoints (HttpListener, no web framework): answers each request with its
/// <see cref="HttpRouter"/>, requests concurrently (a query may wait for another instance, which may be
/// waiting for this one). Bound to 127.0.0.1 unless configured otherwise.
/// </summary>
public sealed class HttpEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpRouter _router;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _serving;
    private int _inFlight;
    private int _disposed;

    /// <summary>Starts serving on http://{host}:{port}/.</summary>
    public HttpEndpoint(string host, int port, HttpRouter router, ILogger logger)
    {
        _router = router;
        _logger = logger;
        Url = new Uri($"http://{host}:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>Where it listens.</summary>
    public Uri Url { get; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            Interlocked.Increment(ref _inFlight);
            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        try
        {
            var reply = await _router.DispatchAsync(HttpRequestData.From(context.Request), _stopping.Token);
            await reply.WriteToAsync(context.Response, _stopping.Token);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "{Url} failed to answer {Path}", Url, context.Request.Url?.AbsolutePath);
            await FailAsync(context.Response, e);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    // A 500 with the error when nothing was sent yet; otherwise the client sees the connection end.
    private static async Task FailAsync(HttpListenerResponse response, Exception error)
    {
        try
        {
            var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = $"internal error: {error.Message}" });
            await HttpReply.Json(500, body).WriteToAsync(response, CancellationToken.None);
        }
        catch (Exception e) when (e is HttpListenerException or InvalidOperationException or ObjectDisposedException)
        {
            response.Abort();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
        // Requests in flight were cancelled; give them a moment to unwind before the router's services go away.
        SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0, TimeSpan.FromSeconds(5));
        _stopping.Dispose();
    }
}
