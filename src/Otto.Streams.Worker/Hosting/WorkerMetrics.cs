using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Otto.Streams.Streamiz.Metrics;
using Otto.Streams.Worker.Configuration;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// The worker's one OpenTelemetry MeterProvider, owned by the host: Otto's meters (<c>Otto.*</c>) and Streamiz's
/// sensors (<see cref="StreamizMeterBridge.MeterName"/>), read by the Prometheus exporter behind <c>/metrics</c> and
/// pushed over OTLP/gRPC when Otto:Metrics:OtlpEndpoint is set. One pipeline: both see the same instruments,
/// aggregated once.
/// </summary>
public static class WorkerMetrics
{
    /// <summary>The meters exported: every Otto meter (Otto.Streams, Otto.Payments, ...) and Streamiz's.</summary>
    public static readonly string[] Meters = ["Otto.*", StreamizMeterBridge.MeterName];

    /// <summary>Adds the MeterProvider when there is anything to export it to (the host starts it with itself, so the
    /// OTLP push runs from the start, and disposes it last, which pushes the final values).</summary>
    public static void AddWorkerMetrics(this IServiceCollection services, OttoOptions otto)
    {
        var options = otto.Metrics;
        var otlp = !string.IsNullOrWhiteSpace(options.OtlpEndpoint);
        if (!options.Enabled && !otlp) return;
        services.AddOpenTelemetry()
            // service.name: the application id, so a collector tells Otto applications apart (target_info on /metrics).
            .ConfigureResource(resource => resource.AddService(otto.Streams.ApplicationId))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters);
                // Scraped on demand; no cached answer, so what a scrape shows is what the instruments hold now.
                if (options.Enabled) metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                    metrics.AddOtlpExporter((exporter, reader) =>
                    {
                        exporter.Endpoint = new Uri(options.OtlpEndpoint!);
                        exporter.Protocol = OtlpExportProtocol.Grpc;
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.OtlpInterval.TotalMilliseconds;
                    });
            });
    }
}
