using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Otto.Payments;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.Metrics;
using Otto.Streams.Worker.Configuration;

namespace Otto.IntegrationTests.Query;

/// <summary>/metrics as Prometheus scrapes it (OpenTelemetry's exporter on the worker's MeterProvider): Otto's and
/// Streamiz's meters under their Prometheus names with their tags, nothing else; and the same provider's OTLP push.</summary>
public class MetricsEndpointTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Otto_and_Streamiz_meters_are_served_with_their_names_and_tags_and_no_other_meter()
    {
        var run = Guid.NewGuid().ToString("N")[..8]; // tag values of this test only: the meters are process-wide
        using var streams = new Meter(DeadLetterMetrics.MeterName);
        using var streamiz = new Meter(StreamizMeterBridge.MeterName);
        using var other = new Meter("Other.Library");
        var records = streams.CreateCounter<long>("otto.streams.test.records", description: "Records seen by the test");
        var lag = 7L;
        streamiz.CreateObservableGauge("streamiz.stream.thread.test.lag", () => new Measurement<long>(lag, new KeyValuePair<string, object?>("thread_id", run)));
        var ignored = other.CreateCounter<long>("other.library.calls");

        var (app, bindings) = await WorkerHttpHost.StartAsync(new OttoOptions { Metrics = { Port = 0 } });
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = bindings.Metrics!.Url };
        PaymentsMetrics.Facts.Add(2, new KeyValuePair<string, object?>("outcome", run));
        PaymentsMetrics.Facts.Add(3, new KeyValuePair<string, object?>("outcome", run));
        PaymentsMetrics.Flags.Add(1, new KeyValuePair<string, object?>("rule", run), new KeyValuePair<string, object?>("reason", "STATUS_REGRESSION"));
        records.Add(4, new KeyValuePair<string, object?>("topic", $"say \"{run}\""));
        ignored.Add(1);

        var response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE otto_payments_facts_total counter\n", text);
        HasSample(text, "otto_payments_facts_total", "Otto.Payments", 5, $"outcome=\"{run}\"");
        HasSample(text, "otto_payments_flags_total", "Otto.Payments", 1, $"rule=\"{run}\"", "reason=\"STATUS_REGRESSION\"");
        Assert.Contains("# HELP otto_streams_test_records_total Records seen by the test\n", text);
        HasSample(text, "otto_streams_test_records_total", "Otto.Streams", 4, $"topic=\"say \\\"{run}\\\"\""); // quotes escaped
        Assert.Contains("# TYPE streamiz_stream_thread_test_lag gauge\n", text);
        HasSample(text, "streamiz_stream_thread_test_lag", "Streamiz.Kafka.Net", 7, $"thread_id=\"{run}\"");
        Assert.DoesNotContain("other_library", text);
        Assert.DoesNotContain("http_server", text); // ASP.NET Core's own meters are not Otto's

        lag = 2; // a gauge shows the latest observation
        HasSample(await http.GetStringAsync("metrics"), "streamiz_stream_thread_test_lag", "Streamiz.Kafka.Net", 2, $"thread_id=\"{run}\"");
    }

    [Fact]
    public async Task The_provider_behind_metrics_also_pushes_over_otlp_when_an_endpoint_is_set()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var options = new OttoOptions { Metrics = { Port = 0, OtlpEndpoint = collector.Url, OtlpInterval = TimeSpan.FromMilliseconds(200) } };
        var (app, bindings) = await WorkerHttpHost.StartAsync(options);
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = bindings.Metrics!.Url };
        PaymentsMetrics.Facts.Add(1, new KeyValuePair<string, object?>("outcome", run));

        // The instrument's own name and the tag value, in an OTLP export request (protobuf strings are plain UTF-8).
        await Eventually.True(() => collector.Exports.Any(e => e.Contains("otto.payments.facts") && e.Contains(run)), Wait, "an OTLP export with the test's measurement");
        HasSample(await http.GetStringAsync("metrics"), "otto_payments_facts_total", "Otto.Payments", 1, $"outcome=\"{run}\"");
    }

    // A sample line: name{otel_scope_name="scope",labels...} value (the exporter adds the meter's name as a label).
    private static void HasSample(string text, string name, string scope, long value, params string[] labels) =>
        Assert.True(text.Split('\n').Any(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains($"otel_scope_name=\"{scope}\"")
                                                 && labels.All(line.Contains) && Regex.IsMatch(line, $"\\}} {value}( \\d+)?$")),
            $"no sample {name} {{{string.Join(",", labels)}}} {value} from {scope} in:\n{text}");

    /// <summary>An OTLP/gRPC collector that keeps the bodies of the metric exports it gets (gRPC over cleartext HTTP/2).</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private OtlpCollector(WebApplication app) => _app = app;

        public ConcurrentQueue<string> Exports { get; } = new();

        public string Url => _app.Urls.Single();

        public static async Task<OtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
            var app = builder.Build();
            var collector = new OtlpCollector(app);
            app.MapPost("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", async context =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                collector.Exports.Enqueue(Encoding.UTF8.GetString(body.ToArray()));
                // An empty ExportMetricsServiceResponse in a gRPC frame, and gRPC's OK status.
                context.Response.ContentType = "application/grpc";
                await context.Response.Body.WriteAsync(new byte[5]);
                context.Response.AppendTrailer("grpc-status", "0");
            });
            await app.StartAsync();
            return collector;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
