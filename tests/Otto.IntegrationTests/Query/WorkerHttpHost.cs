using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;

namespace Otto.IntegrationTests.Query;

/// <summary>The worker's HTTP side alone, built as `otto run` builds it (<see cref="WorkerHttp"/>), started: for tests
/// of what it serves that need no stream.</summary>
internal static class WorkerHttpHost
{
    /// <param name="options">The settings (use port 0).</param>
    /// <param name="logs">Where it logs (everything, from Trace up); none by default.</param>
    public static async Task<(WebApplication App, HttpBindings Bindings)> StartAsync(OttoOptions options, ILoggerProvider? logs = null)
    {
        var bindings = HttpBindings.From(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.AddWorkerHttp(options, bindings);
        var app = builder.Build();
        app.MapWorkerHttp(options, bindings);
        await app.StartAsync();
        return (app, bindings);
    }
}
