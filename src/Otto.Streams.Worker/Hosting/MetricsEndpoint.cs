using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// The worker's HTTP endpoint (HttpListener, no web framework): <c>/metrics</c> in Prometheus text format,
/// <c>/health/live</c> and <c>/health/ready</c> (200 or 503, body = the stream's state) for an orchestrator's
/// probes, and <c>/health</c> as a short JSON summary. Bound to 127.0.0.1 unless configured otherwise.
/// </summary>
public sealed class MetricsEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly PrometheusExposition _metrics;
    private readonly StreamStatus _status;
    private readonly ILogger _logger;
    private readonly Task _serving;

    /// <summary>Starts serving on http://{host}:{port}/.</summary>
    public MetricsEndpoint(string host, int port, PrometheusExposition metrics, StreamStatus status, ILogger logger)
    {
        _metrics = metrics;
        _status = status;
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
            try
            {
                Respond(context);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "The metrics endpoint failed to answer {Path}", context.Request.Url?.AbsolutePath);
                context.Response.Abort();
            }
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var state = _status.State.ToString();
        var (code, type, body) = context.Request.Url?.AbsolutePath switch
        {
            "/metrics" => (200, "text/plain; version=0.0.4; charset=utf-8", _metrics.Scrape()),
            "/health/live" => (_status.Live ? 200 : 503, "text/plain", state),
            "/health/ready" => (_status.Ready ? 200 : 503, "text/plain", state),
            "/health" => (_status.Live ? 200 : 503, "application/json",
                $"{{\"state\":\"{state}\",\"live\":{Bool(_status.Live)},\"ready\":{Bool(_status.Ready)}}}"),
            _ => (404, "text/plain", "not found: try /metrics, /health, /health/live, /health/ready"),
        };
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = code;
        context.Response.ContentType = type;
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <inheritdoc />
    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
