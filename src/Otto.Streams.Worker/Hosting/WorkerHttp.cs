using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Query;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// The worker's HTTP side on ASP.NET Core: Kestrel listening on <see cref="HttpBindings"/>, <c>/metrics</c> (OpenTelemetry's
/// Prometheus exporter), <c>/health/live</c>, <c>/health/ready</c> and <c>/health</c> (health checks), and the read side
/// (<see cref="QueryRoutes"/>). `otto run` and the tests that run a worker's HTTP side use these two calls.
/// </summary>
public static class WorkerHttp
{
    /// <summary>Registers the HTTP side's services on <paramref name="builder"/>; <see cref="StreamStatus"/>,
    /// <see cref="ReadSide"/>, <paramref name="bindings"/> and the MeterProvider (<see cref="WorkerMetrics"/>) among them.</summary>
    public static void AddWorkerHttp(this WebApplicationBuilder builder, OttoOptions options, HttpBindings bindings)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var binding in bindings.All) binding.ListenOn(kestrel);
        });
        builder.Services.AddWorkerServices(options, bindings);
        builder.Services.AddHealthChecks()
            .AddCheck<StreamLiveCheck>(StreamLiveCheck.Name, HealthStatus.Unhealthy, [StreamLiveCheck.Name])
            // Not ready while live is Degraded, not Unhealthy: /health stays 200 then (the process is fine), /health/ready
            // maps it to 503.
            .AddCheck<StreamReadyCheck>(StreamReadyCheck.Name, HealthStatus.Degraded, [StreamReadyCheck.Name]);
        builder.Services.AddReadSideAuthentication(options.Query.ApiKey);
    }

    /// <summary>The services the worker has with or without an HTTP side.</summary>
    public static void AddWorkerServices(this IServiceCollection services, OttoOptions options, HttpBindings bindings)
    {
        services.AddSingleton(bindings);
        services.AddSingleton<StreamStatus>();
        services.AddSingleton<ReadSide>();
        services.AddWorkerMetrics(options);
    }

    /// <summary>Maps the routes of the sides <paramref name="bindings"/> serves, each answering only on its own listener.</summary>
    public static void MapWorkerHttp(this WebApplication app, OttoOptions options, HttpBindings bindings)
    {
        app.UseRouting();
        // A route of one side answers 404 on a listener of the other: payment data never on the port Prometheus scrapes.
        // The listener is the one whose socket took the connection (HttpBinding.ListenOn), not what the Host header says.
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ServedOn>() is { } route && context.Features.Get<HttpBinding>() is { } listener && !listener.Serves(route.Side))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(context);
        });
        if (!string.IsNullOrWhiteSpace(options.Query.ApiKey))
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        if (bindings.Metrics is not null)
        {
            var metrics = new ServedOn(HttpSide.Metrics);
            app.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(metrics);
            app.MapHealthChecks("/health/live", Probe(StreamLiveCheck.Name)).WithMetadata(metrics);
            app.MapHealthChecks("/health/ready", Probe(StreamReadyCheck.Name)).WithMetadata(metrics);
            app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteSummaryAsync }).WithMetadata(metrics);
        }
        if (bindings.ReadSide is not null) app.MapReadSide(options.Query.ApiKey);
    }

    // One check, 200 or 503 (Degraded too: not ready), the body its status and Streamiz's state, e.g. "Degraded: REBALANCING".
    private static HealthCheckOptions Probe(string check) => new()
    {
        Predicate = registration => registration.Name == check,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = (context, report) =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync($"{report.Status}: {report.Entries[check].Description}");
        },
    };

    // {"status": "Degraded", "checks": {"live": {"status": "Healthy", "description": "REBALANCING"}, "ready": {...}}}
    private static Task WriteSummaryAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description });
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString(), checks }));
    }
}
