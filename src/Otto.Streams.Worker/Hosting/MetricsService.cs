using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using Otto.Streams.Worker.Configuration;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// Exports the Otto meters (Otto.Streams, Otto.Payments): as Prometheus text on the HTTP endpoint with the health
/// probes, and over OTLP when an endpoint is configured. Registered before <see cref="WorkerService"/>, so it
/// starts first and stops last, and the probes see the whole shutdown.
/// </summary>
public sealed class MetricsService(IOptions<OttoOptions> options, StreamStatus status, ILoggerFactory loggers) : IHostedService, IDisposable
{
    /// <summary>The prefix of the meters exported.</summary>
    public const string MeterPrefix = "Otto.";

    private readonly ILogger _logger = loggers.CreateLogger<MetricsService>();
    private PrometheusExposition? _exposition;
    private MetricsEndpoint? _endpoint;
    private MeterProvider? _otlp;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value.Metrics;
        if (o.Enabled)
        {
            _exposition = new PrometheusExposition(MeterPrefix);
            _endpoint = new MetricsEndpoint(o.Host, o.Port, _exposition, status, _logger);
            _logger.LogInformation("Metrics on {Url}metrics, health on {Url}health", _endpoint.Url, _endpoint.Url);
        }
        if (!string.IsNullOrWhiteSpace(o.OtlpEndpoint))
        {
            _otlp = Sdk.CreateMeterProviderBuilder()
                .AddMeter(MeterPrefix + "*")
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
