using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Payments;
using Otto.Streams.Streamiz.Instances;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;
using Otto.Streams.Worker.Query;
using Streamiz.Kafka.Net;

namespace Otto.IntegrationTests.Query;

/// <summary>One worker instance as `otto run` wires it, minus the generic host's WorkerService: the HTTP side through
/// <see cref="WorkerHttp"/> (metrics and health on one listener, the read side on another, both on port 0), its queries
/// served once the server listens (advertising the port bound), then the payments stream through
/// <see cref="StreamHost.StartAsync"/>.</summary>
internal sealed class QueryWorker : IAsyncDisposable
{
    private readonly WebApplication _app;
    private HostedStream? _hosted;

    private QueryWorker(DevCluster cluster, OttoOptions options, WebApplication app, HttpBindings bindings, PaymentQueries queries)
    {
        Cluster = cluster;
        Options = options;
        _app = app;
        Status = app.Services.GetRequiredService<StreamStatus>();
        Bindings = bindings;
        Directory = queries.Directory!;
        Http = new HttpClient { BaseAddress = bindings.ReadSide!.Url, Timeout = TimeSpan.FromSeconds(10) };
        if (options.Query.ApiKey is { } key) Http.DefaultRequestHeaders.Authorization = new("Bearer", key);
        Probes = new HttpClient { BaseAddress = bindings.Metrics!.Url, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Listening, queries served, the stream not started.</summary>
    /// <param name="logs">Where the HTTP side logs (everything, from Trace up); none by default.</param>
    public static async Task<QueryWorker> ListenAsync(DevCluster cluster, string applicationId, PaymentsOptions payments, string? apiKey = null,
        ILoggerProvider? logs = null)
    {
        var options = cluster.WorkerOptions(applicationId, payments, commitInterval: TimeSpan.FromMilliseconds(200));
        options.Metrics.Port = 0;
        options.Query.Port = 0;
        options.Query.ApiKey = apiKey;
        options.Streams.StateDir = Path.Combine(cluster.StateDir, $"instance-{Guid.NewGuid():N}");
        var (app, bindings) = await WorkerHttpHost.StartAsync(options, logs);
        var queries = app.Services.GetRequiredService<ReadSide>().Serve(app.Services.GetRequiredService<StreamStatus>(), options, bindings.ReadSide!.Port);
        return new QueryWorker(cluster, options, app, bindings, queries);
    }

    public DevCluster Cluster { get; }
    public OttoOptions Options { get; }
    public HttpBindings Bindings { get; }
    /// <summary>"127.0.0.1:port" as advertised, with the port Kestrel bound.</summary>
    public string Server => Directory.Self.Authority;
    public InstanceDirectory Directory { get; }
    public StreamStatus Status { get; }
    /// <summary>The read side's listener, with the key when there is one.</summary>
    public HttpClient Http { get; }
    /// <summary>The metrics and health listener.</summary>
    public HttpClient Probes { get; }
    public KafkaStream? Stream => Status.Stream;

    public async Task StartAsync() =>
        _hosted = await StreamHost.StartAsync(Options, OttoRuntime.Registry(Options.SchemaRegistry), Status, new StreamFailure(), NullLoggerFactory.Instance,
            Cluster.Kafka, directory: Directory);

    /// <summary>Closes the stream (its state goes to NOT_RUNNING) while the HTTP side goes on answering.</summary>
    public void StopStream()
    {
        Directory.Dispose();
        _hosted?.Dispose();
        _hosted = null;
    }

    /// <summary>Stops answering HTTP while the stream goes on (an instance whose read side is unreachable).</summary>
    public Task StopHttpAsync() => _app.StopAsync();

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Probes.Dispose();
        // Withdrawn first, so the other instance stops routing here before the stream closes its stores.
        Directory.Dispose();
        _hosted?.Dispose();
        await _app.DisposeAsync();
    }
}
