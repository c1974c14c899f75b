using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;
using Otto.Streams.Worker.Query;

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

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddInMemoryCollection(overrides);
            // A misspelt or retired setting (Otto:Payments:StuckStatusSla) is an error, not a silently ignored key.
            builder.Services.Configure<OttoOptions>(builder.Configuration.GetSection(OttoOptions.Section), binder => binder.ErrorOnUnknownConfiguration = true);
            // Binding here also surfaces such errors before anything starts; the host waits for the stream's own
            // shutdown timeout, plus a margin to log and exit.
            OttoOptions? bound;
            try
            {
                bound = builder.Configuration.GetSection(OttoOptions.Section).Get<OttoOptions>(binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync($"otto run: the configuration cannot be used: {e.Message}");
                return 2;
            }
            var shutdown = bound?.Streams.ShutdownTimeout ?? new StreamsOptions().ShutdownTimeout;
            builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = shutdown + TimeSpan.FromSeconds(5));
            builder.Services.AddSingleton<StreamStatus>();
            builder.Services.AddSingleton(sp => PaymentQueries.Create(sp.GetRequiredService<StreamStatus>(),
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<OttoOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddHostedService<MetricsService>();
            builder.Services.AddHostedService<QueryService>();
            builder.Services.AddHostedService<WorkerService>();
            using var host = builder.Build();
            await host.RunAsync(ct);
            return Environment.ExitCode;
        });
        return command;
    }
}
