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

/// <summary>Schema Registry settings.</summary>
public sealed class SchemaRegistryOptions
{
    /// <summary>The registry URL (http(s)://..., or mock://scope for an in-process registry).</summary>
    public string Url { get; set; } = "http://localhost:8081";

    /// <summary>Basic auth as "user:password" (never logged).</summary>
    public string? BasicAuthUserInfo { get; set; }

    /// <summary>A bearer token (never logged).</summary>
    public string? BearerToken { get; set; }

    /// <summary>Register schemas on first use. Off in production, where a platform team registers them.</summary>
    public bool AutoRegisterSchemas { get; set; }

    /// <summary>PEM file of a private CA that signed the registry's certificate.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>PEM client certificate and key for mutual TLS.</summary>
    public string? SslCertificateLocation { get; set; }

    /// <summary>PEM private key of <see cref="SslCertificateLocation"/>.</summary>
    public string? SslKeyLocation { get; set; }

    /// <summary>Timeout of one registry request (retried with backoff on network errors and 5xx).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
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

    /// <summary>The RocksDB memtable budget of this instance, split between its open stores.</summary>
    public long RocksDbWriteBufferBytes { get; set; } = Otto.Streams.State.RocksDb.RocksDbMemory.DefaultWriteBufferBytes;
}
