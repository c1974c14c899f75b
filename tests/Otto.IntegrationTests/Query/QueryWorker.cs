using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Payments;
using Otto.Streams.Streamiz.Instances;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;
using Otto.Streams.Worker.Query;
using Streamiz.Kafka.Net;

namespace Otto.IntegrationTests.Query;

/// <summary>One worker instance as `otto run` wires it, minus the host: the read side on a free loopback port
/// (advertised in the instance directory), then the payments stream through <see cref="StreamHost.StartAsync"/>.</summary>
internal sealed class QueryWorker : IDisposable
{
    private readonly HttpEndpoint _endpoint;
    private readonly PaymentQueries _queries;
    private HostedStream? _hosted;

    public QueryWorker(DevCluster cluster, string applicationId, PaymentsOptions payments)
    {
        Port = FreePort();
        Options = cluster.WorkerOptions(applicationId, payments, commitInterval: TimeSpan.FromMilliseconds(200));
        Options.Query.Host = "127.0.0.1";
        Options.Query.Port = Port;
        Options.Streams.StateDir = Path.Combine(cluster.StateDir, $"instance-{Port}");
        _queries = PaymentQueries.Create(Status, Options);
        Directory = _queries.Directory!;
        _endpoint = new HttpEndpoint("127.0.0.1", Port, _queries.AddTo(new HttpRouter()), NullLogger.Instance);
        Http = new HttpClient { BaseAddress = _endpoint.Url, Timeout = TimeSpan.FromSeconds(10) };
        Cluster = cluster;
    }

    public DevCluster Cluster { get; }
    public OttoOptions Options { get; }
    public int Port { get; }
    public string Server => $"127.0.0.1:{Port}";
    public InstanceDirectory Directory { get; }
    public StreamStatus Status { get; } = new();
    public HttpClient Http { get; }
    public KafkaStream? Stream => Status.Stream;

    public async Task StartAsync() =>
        _hosted = await StreamHost.StartAsync(Options, OttoRuntime.Registry(Options.SchemaRegistry), Status, new StreamFailure(), NullLoggerFactory.Instance,
            Cluster.Kafka, directory: Directory);

    /// <summary>Stops answering HTTP while the stream goes on (an instance whose read side is unreachable).</summary>
    public void StopHttp() => _endpoint.Dispose();

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Http.Dispose();
        _endpoint.Dispose();
        // Withdrawn first, so the other instance stops routing here before the stream closes its stores.
        Directory.Dispose();
        _hosted?.Dispose();
        _queries.Dispose();
    }
}
