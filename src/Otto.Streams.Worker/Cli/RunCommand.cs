using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;

namespace Otto.Streams.Worker.Cli;

/// <summary>`otto run`: the worker as deployed. Settings come from appsettings.json, then environment variables
/// (Otto__Kafka__BootstrapServers, ...), then these options.</summary>
public static class RunCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Kafka bootstrap servers (Otto:Kafka:BootstrapServers)" };
        var registry = new Option<string?>("--schema-registry") { Description = "Schema Registry URL (Otto:SchemaRegistry:Url)" };
        var env = new Option<string?>("--env") { Description = "Environment in topic names (Otto:Payments:Env)" };
        var stateDir = new Option<string?>("--state-dir") { Description = "State directory (Otto:Streams:StateDir)" };
        var command = new Command("run", "Run the Otto worker against a Kafka cluster and a Schema Registry") { bootstrap, registry, env, stateDir };
        command.SetAction(async (parse, ct) =>
        {
            var overrides = new Dictionary<string, string?>
            {
                ["Otto:Kafka:BootstrapServers"] = parse.GetValue(bootstrap),
                ["Otto:SchemaRegistry:Url"] = parse.GetValue(registry),
                ["Otto:Payments:Env"] = parse.GetValue(env),
                ["Otto:Streams:StateDir"] = parse.GetValue(stateDir),
            }.Where(kv => kv.Value is not null);

            // Settings as the host reads them (appsettings.json, environment, these options).
            var web = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            web.Configuration.AddInMemoryCollection(overrides);
            OttoOptions options;
            HttpBindings bindings;
            try
            {
                // A misspelt or retired setting (Otto:Payments:StuckStatusSla) is an error, not a silently ignored key;
                // bound here, such errors stop the worker before anything starts.
                options = web.Configuration.GetSection(OttoOptions.Section).Get<OttoOptions>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new OttoOptions();
                bindings = HttpBindings.From(options);
            }
            catch (InvalidOperationException e)
            {
                return await Refuse($"the configuration cannot be used: {e.Message}", ExitCodes.Configuration);
            }
            catch (StartupException e)
            {
                return await Refuse(e.Message, e.ExitCode);
            }

            using var host = bindings.All.Count > 0 ? BuildWeb(web, options, bindings) : BuildGeneric(overrides, options, bindings);
            try
            {
                await host.StartAsync(ct);
            }
            catch (Exception e) when (bindings.ListenFailure(e) is { } failure)
            {
                return await Refuse(failure.Message, failure.ExitCode);
            }
            await host.WaitForShutdownAsync(ct);
            return Environment.ExitCode;
        });
        return command;
    }

    // The worker on ASP.NET Core, serving metrics, health and the read side.
    private static WebApplication BuildWeb(WebApplicationBuilder builder, OttoOptions options, HttpBindings bindings)
    {
        builder.AddWorkerHttp(options, bindings);
        AddWorker(builder, options);
        var app = builder.Build();
        app.MapWorkerHttp(options, bindings);
        return app;
    }

    // Nothing served over HTTP (Otto:Metrics:Enabled and Otto:Query:Enabled false): the generic host, since a
    // WebApplication without endpoints would listen on Kestrel's default, localhost:5000.
    private static IHost BuildGeneric(IEnumerable<KeyValuePair<string, string?>> overrides, OttoOptions options, HttpBindings bindings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(overrides);
        builder.Services.AddWorkerServices(options, bindings);
        AddWorker(builder, options);
        return builder.Build();
    }

    private static void AddWorker(IHostApplicationBuilder builder, OttoOptions options)
    {
        // The host already logs to the console as the Logging section says; Otto adds its timestamp and one line per entry.
        builder.Logging.AddOttoDefaults(builder.Configuration);
        // The host logs a failed start with its stack trace ("Hosting failed to start", an error); the worker says it in
        // one line instead (a port in use). Its critical lines (a background service that stopped it) still show.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // The settings bound once above, not bound again by the options system.
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        // The host waits for the stream's own shutdown timeout, plus a margin to log and exit.
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.Streams.ShutdownTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddHostedService<WorkerService>();
    }

    // One line on stderr, no stack trace, and the exit code of that kind of failure.
    private static async Task<int> Refuse(string message, int exitCode)
    {
        await Console.Error.WriteLineAsync($"otto run: {message}");
        return exitCode;
    }
}
