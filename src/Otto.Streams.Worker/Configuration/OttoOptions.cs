using Otto.Schemas.Registry;
using Otto.Payments;

namespace Otto.Streams.Worker.Configuration;

/// <summary>
/// The worker's settings, section "Otto" (appsettings.json, then environment variables such as
/// Otto__Kafka__BootstrapServers, then command-line options). Production needs only configuration.
/// </summary>
public sealed class OttoOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Otto";

    /// <summary>Kafka connection.</summary>
    public KafkaOptions Kafka { get; set; } = new();

    /// <summary>Schema Registry connection.</summary>
    public SchemaRegistryOptions SchemaRegistry { get; set; } = new();

    /// <summary>Stream processing.</summary>
    public StreamsOptions Streams { get; set; } = new();

    /// <summary>The payments-integrity rules.</summary>
    public PaymentsOptions Payments { get; set; } = new();

    /// <summary>Metrics and health endpoints, OTLP export.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>The HTTP read side (interactive queries).</summary>
    public QueryOptions Query { get; set; } = new();
}

/// <summary>The HTTP read side: GET /payments/{id} and GET /flags from the local stores, routed between instances.</summary>
public sealed class QueryOptions
{
    /// <summary>Serve the read side and publish this instance for the others to route to it.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>With a port of its own, the address to bind; null: the metrics endpoint's (<see cref="MetricsOptions.Host"/>).</summary>
    public string? Host { get; set; }

    /// <summary>The port; null: share the metrics endpoint (one listener serves /metrics, /health and the queries).</summary>
    public int? Port { get; set; }

    /// <summary>The URL other instances (and clients they redirect) reach this instance at, http://host:port; its host
    /// and port become the stream's application server. Default: the bound host and port (the machine's name when
    /// bound to all interfaces).</summary>
    public string? AdvertisedUrl { get; set; }

    /// <summary>How long a request forwarded to another instance may take.</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>True when the queries are served by the metrics endpoint rather than a listener of their own.</summary>
    public bool SharesMetricsEndpoint(MetricsOptions metrics) => metrics.Enabled && (Port ?? metrics.Port) == metrics.Port;

    /// <summary>The host and port the read side is served on.</summary>
    public (string Host, int Port) Binding(MetricsOptions metrics) =>
        SharesMetricsEndpoint(metrics) ? (metrics.Host, metrics.Port) : (Host ?? metrics.Host, Port ?? metrics.Port);

    /// <summary>"host:port" this instance advertises (<see cref="StreamConfig.ApplicationServer"/>), or null when disabled.</summary>
    public string? ApplicationServer(MetricsOptions metrics)
    {
        if (!Enabled) return null;
        if (AdvertisedUrl is { } url)
        {
            var uri = Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttp ? parsed
                : throw new ArgumentException($"Otto:Query:AdvertisedUrl '{url}' is not an absolute http:// URL.");
            return $"{uri.Host}:{uri.Port}";
        }
        var (host, port) = Binding(metrics);
        return $"{(host is "0.0.0.0" or "+" or "*" or "::" ? System.Net.Dns.GetHostName() : host)}:{port}";
    }
}

/// <summary>Where the worker's metrics and health go.</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve /metrics (Prometheus text) and /health, /health/live, /health/ready over HTTP.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The address the endpoint binds to; loopback by default, so nothing is exposed unless asked
    /// (use 0.0.0.0 or + inside a container).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The endpoint's port.</summary>
    public int Port { get; set; } = 9464;

    /// <summary>An OTLP/gRPC collector (e.g. http://otel-collector:4317); none by default.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How often metrics are pushed over OTLP.</summary>
    public TimeSpan OtlpInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Kafka connection settings.</summary>
public sealed class KafkaOptions
{
    /// <summary>bootstrap.servers.</summary>
    public string BootstrapServers { get; set; } = "localhost:9092";

    /// <summary>Any other librdkafka property for every client: security.protocol, sasl.mechanism,
    /// sasl.username, sasl.password, ssl.ca.location, ...</summary>
    public Dictionary<string, string> Properties { get; set; } = [];
}

/// <summary>Stream-processing settings.</summary>
public sealed class StreamsOptions
{
    /// <summary>application.id: consumer group and internal topic prefix.</summary>
    public string ApplicationId { get; set; } = "otto";

    /// <summary>Stream threads in this instance.</summary>
    public int NumStreamThreads { get; set; } = 1;

    /// <summary>How often offsets are committed.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where state lives: {StateDir}/{ApplicationId}/{task}/{store} (`--state-dir`).</summary>
    public string StateDir { get; set; } = Path.Combine(Path.GetTempPath(), "otto-streams");

    /// <summary>AtLeastOnce or ExactlyOnceV2 (needs a real cluster).</summary>
    public ProcessingGuarantee Guarantee { get; set; } = ProcessingGuarantee.AtLeastOnce;

    /// <summary>What to do with output the cluster refuses: Retry (retriable errors, then fail), Fail, or Continue
    /// (to the dead-letter topic). Must be Fail under ExactlyOnceV2.</summary>
    public ProductionErrorHandling? ProductionErrors { get; set; }

    /// <summary>How long SIGTERM may take: finish the record in hand, commit, flush, close.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>librdkafka statistics interval, feeding the otto.streams.client.* gauges (zero: off).</summary>
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The one RocksDB block cache of this instance, shared by all its stores.</summary>
    public long RocksDbBlockCacheBytes { get; set; } = Otto.Streams.State.RocksDb.RocksDbMemory.DefaultBlockCacheBytes;

    /// <summary>How the source systems' producers partition keys (Murmur2Random, the Java clients' default, or
    /// ConsistentRandom, librdkafka's): Otto's producers use the same, and the read side computes where a payment lives with it.</summary>
    public Confluent.Kafka.Partitioner Partitioner { get; set; } = Confluent.Kafka.Partitioner.Murmur2Random;

    /// <summary>The RocksDB memtable budget of this instance, split between its open stores.</summary>
    public long RocksDbWriteBufferBytes { get; set; } = Otto.Streams.State.RocksDb.RocksDbMemory.DefaultWriteBufferBytes;

    /// <summary>The record cache of each cached store and task: more coalesces more writes (throughput), less (or 0,
    /// off) shortens the write-down at commit that stalls processing (tail latency). See README, Performance.</summary>
    public long StatestoreCacheMaxBytes { get; set; } = StreamConfig.DefaultStatestoreCacheMaxBytes;
}
