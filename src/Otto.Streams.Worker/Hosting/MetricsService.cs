using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using Otto.Streams.Streamiz.Metrics;
using Otto.Streams.Worker.Configuration;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// Exports the Otto meters (Otto.Streams, Otto.Payments): as Prometheus text on the HTTP endpoint with the health
/// probes (and the read side, unless it has a port of its own), and over OTLP when an endpoint is configured. Registered before <see cref="WorkerService"/>, so it
/// starts first and stops last, and the probes see the whole shutdown.
/// </summary>
public sealed class MetricsService(IOptions<OttoOptions> options, StreamStatus status, ILoggerFactory loggers, Query.PaymentQueries? queries = null)
    : IHostedService, IDisposable
{
    /// <summary>The prefix of the meters exported.</summary>
    public const string MeterPrefix = "Otto.";

    private readonly ILogger _logger = loggers.CreateLogger<MetricsService>();
    private PrometheusExposition? _exposition;
    private HttpEndpoint? _endpoint;
    private MeterProvider? _otlp;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value.Metrics;
        if (o.Enabled)
        {
            _exposition = new PrometheusExposition(MeterPrefix, StreamizMeterBridge.MeterName);
            var routes = Routes(_exposition, status);
            // The read side shares this listener unless it has a port of its own (see QueryService).
            var shared = queries is not null && options.Value.Query.Enabled && options.Value.Query.SharesMetricsEndpoint(o);
            if (shared) queries!.AddTo(routes);
            _endpoint = new HttpEndpoint(o.Host, o.Port, routes, _logger);
            _logger.LogInformation("Metrics on {Url}metrics, health on {Url}health{Queries}", _endpoint.Url, _endpoint.Url,
                shared ? $", read side (payments/{{id}}, flags) advertised as {options.Value.Query.ApplicationServer(o)}" : "");
        }
        if (!string.IsNullOrWhiteSpace(o.OtlpEndpoint))
        {
            _otlp = Sdk.CreateMeterProviderBuilder()
                .AddMeter(MeterPrefix + "*", StreamizMeterBridge.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = new Uri(o.OtlpEndpoint);
                    exporter.Protocol = OtlpExportProtocol.Grpc;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)o.OtlpInterval.TotalMilliseconds;
                })
                .Build();
            _logger.LogInformation("Metrics exported over OTLP to {Endpoint} every {Interval}", o.OtlpEndpoint, o.OtlpInterval);
        }
        return Task.CompletedTask;
    }

    /// <summary><c>/metrics</c> in Prometheus text format, <c>/health/live</c> and <c>/health/ready</c> (200 or 503, body =
    /// the stream's state) for an orchestrator's probes, and <c>/health</c> as a short JSON summary.</summary>
    private static HttpRouter Routes(PrometheusExposition metrics, StreamStatus status) => new HttpRouter()
        .MapGet("/metrics", _ => new HttpReply(200, "text/plain; version=0.0.4; charset=utf-8", metrics.Scrape()))
        .MapGet("/health/live", _ => HttpReply.Text(status.Live ? 200 : 503, status.State.ToString()))
        .MapGet("/health/ready", _ => HttpReply.Text(status.Ready ? 200 : 503, status.State.ToString()))
        .MapGet("/health", _ => HttpReply.Json(status.Live ? 200 : 503,
            $"{{\"state\":\"{status.State}\",\"live\":{Bool(status.Live)},\"ready\":{Bool(status.Ready)}}}"));

    private static string Bool(bool value) => value ? "true" : "false";

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _otlp?.Dispose(); // flushes the last export
        _otlp = null;
        _endpoint?.Dispose();
        _endpoint = null;
        _exposition?.Dispose();
        _exposition = null;
    }
}
