using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Otto.Streams.SchemaRegistry;
using Otto.Streams.Worker.Cli;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Query;
using Streamiz.Kafka.Net;

namespace Otto.Streams.Worker.Hosting;

/// <summary>The deployed worker: once the host has started (the HTTP server listening, so the read side knows the port
/// it advertises), runs the stream for the host's lifetime, closes it cleanly on SIGTERM, and stops the host
/// (non-zero exit) when the stream dies of a fatal error, so the orchestrator restarts it.</summary>
public sealed class WorkerService(IOptions<OttoOptions> options, ILoggerFactory loggers, IHostApplicationLifetime lifetime, StreamStatus status,
    HttpBindings bindings, ReadSide readSide) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<WorkerService>();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The host starts its hosted services before the web server; nothing touches Kafka until the ports are bound
        // (a port in use stops the worker before it joins the group).
        if (!await Started(stoppingToken)) return;
        var o = options.Value;
        _logger.LogInformation("Otto worker {App} on {Bootstrap}, schema registry {Registry}, env {Env}",
            o.Streams.ApplicationId, o.Kafka.BootstrapServers, o.SchemaRegistry.Url, o.Payments.Env);
        if (bindings.Metrics is { } metrics)
            _logger.LogInformation("Metrics on {Url}metrics, health on {Url}health/live and {Url}health/ready", metrics.Url, metrics.Url, metrics.Url);
        if (bindings.ReadSide is { } listener)
        {
            var queries = readSide.Serve(status, o, listener.Port, loggers);
            _logger.LogInformation("Read side (payments/{{id}}, flags) on {Url}, advertised to the other instances as {Advertised}{Key}", listener.Url,
                queries.Directory!.Self, string.IsNullOrWhiteSpace(o.Query.ApiKey) ? ", no key (loopback only)" : ", key required");
        }
        HostedStream stream;
        var failure = new StreamFailure();
        // Streamiz's global stream thread (the Account table) lets an exception out of its thread, which ends the
        // process with the runtime's stack trace; a registry failure there must end it with the same one line.
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            LogStop(e.ExceptionObject as Exception);
            Environment.Exit(ExitCodes.StreamFailed);
        };
        var directory = readSide.Queries?.Directory;
        try
        {
            stream = await StreamHost.StartAsync(o, OttoRuntime.Registry(o.SchemaRegistry), status, failure, loggers, ct: stoppingToken,
                directory: directory);
        }
        catch (Exception e)
        {
            _logger.LogCritical("The worker cannot start: {Error}", e.Message);
            Environment.ExitCode = (e as StartupException)?.ExitCode ?? ExitCodes.Configuration;
            lifetime.StopApplication();
            return;
        }
        await Task.WhenAny(Task.Delay(Timeout.Infinite, stoppingToken), failure.Failed).ContinueWith(_ => { }, TaskScheduler.Default);
        if (failure.Failed.IsCompleted)
        {
            LogStop(failure.Error);
            Environment.ExitCode = ExitCodes.StreamFailed;
            lifetime.StopApplication();
        }
        // Withdrawn from the instance directory first, so the others stop routing queries here while it closes.
        directory?.Dispose();
        // Each thread finishes its record in hand, commits, flushes and closes (Streamiz's Dispose).
        var closed = Task.Run(stream.Dispose);
        if (await Task.WhenAny(closed, Task.Delay(o.Streams.ShutdownTimeout)) != closed)
            _logger.LogError("The stream did not close within {Timeout}", o.Streams.ShutdownTimeout);
        else _logger.LogInformation("The stream closed cleanly");
    }

    // True once the host has started everything (ApplicationStarted); false when it stops first (a port in use).
    private async Task<bool> Started(CancellationToken stoppingToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStarted, stoppingToken);
        await Task.Delay(Timeout.Infinite, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        return !stoppingToken.IsCancellationRequested;
    }

    // A registry failure is not a bug: one line says what to fix, without a stack trace.
    private void LogStop(Exception? error)
    {
        if (RegistryFailureException.Causes(error).OfType<RegistryFailureException>().FirstOrDefault() is { } registry)
            _logger.LogCritical("The worker stops: {Error}", registry.Message);
        else
            _logger.LogCritical(error, "The stream failed; stopping the worker");
    }
}
