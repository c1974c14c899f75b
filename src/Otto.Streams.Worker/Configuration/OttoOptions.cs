using Otto.Schemas.Registry;
using Otto.Payments;
using Otto.Streams.Streamiz.DeadLetters;
using Streamiz.Kafka.Net;

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

    /// <summary>The port; null: share the metrics endpoint (one listener serves /metrics, /health and the queries);
    /// 0: a listener of its own on any free port (the port bound is logged and advertised).</summary>
    public int? Port { get; set; }

    /// <summary>The URL other instances (and clients they redirect) reach this instance at, http://host:port; its host
    /// and port become the stream's application server. Default: the bound host and port (the machine's name when
    /// bound to all interfaces).</summary>
    public string? AdvertisedUrl { get; set; }

    /// <summary>How long a request forwarded to another instance may take.</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The key a client sends as <c>Authorization: Bearer {key}</c>, the same for every instance of the
    /// application (they send it to each other when forwarding). Required when the read side listens on anything but
    /// loopback (the worker refuses to start without it); when set, required on loopback too. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>True when the queries are served by the metrics endpoint rather than a listener of their own: no port
    /// of their own, or the metrics port named again (port 0 always means a listener of its own).</summary>
    public bool SharesMetricsEndpoint(MetricsOptions metrics) => metrics.Enabled && (Port is null || (Port == metrics.Port && Port != 0));

    /// <summary>The host and port the read side is configured to listen on (port 0: any free port).</summary>
    public (string Host, int Port) Binding(MetricsOptions metrics) =>
        SharesMetricsEndpoint(metrics) ? (metrics.Host, metrics.Port) : (Host ?? metrics.Host, Port ?? metrics.Port);

    /// <summary>The URL this instance advertises to the others: <see cref="AdvertisedUrl"/>, else the read side's
    /// host with <paramref name="boundPort"/>, the port its listener got (what port 0 left to the system).</summary>
    public Uri Advertised(MetricsOptions metrics, int boundPort)
    {
        if (AdvertisedUrl is { } url)
            return Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttp ? new Uri($"http://{parsed.Authority}/")
                : throw new ArgumentException($"Otto:Query:AdvertisedUrl '{url}' is not an absolute http:// URL.");
        var host = Binding(metrics).Host;
        return new Uri($"http://{(host is "0.0.0.0" or "+" or "*" or "::" ? System.Net.Dns.GetHostName() : host)}:{boundPort}/");
    }
}

/// <summary>Where the worker's metrics and health go.</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve /metrics (Prometheus text) and /health, /health/live, /health/ready over HTTP.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The address the endpoint binds to (an IP address, or localhost); loopback by default, so nothing is
    /// exposed unless asked (use 0.0.0.0 inside a container).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The endpoint's port; 0: any free port (logged at start).</summary>
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

    /// <summary>How long the worker waits at start for the cluster to answer (its metadata: brokers, topics, partition
    /// counts) before it stops with "Kafka unreachable".</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Any other Streamiz or librdkafka setting, under Streamiz's key: unprefixed for every client
    /// (security.protocol, sasl.mechanism, sasl.username, sasl.password, ssl.ca.location, ...), or prefixed for one
    /// kind (main.consumer., restore.consumer., global.consumer., producer.).</summary>
    public Dictionary<string, string> Properties { get; set; } = [];
}

/// <summary>Stream-processing settings: the Streamiz settings Otto exposes under its own names (each maps to the
/// Streamiz StreamConfig property named in its comment). Any other Streamiz or librdkafka setting goes in
/// <see cref="KafkaOptions.Properties"/> under Streamiz's own key (e.g. main.consumer.session.timeout.ms).</summary>
public sealed class StreamsOptions
{
    /// <summary>application.id: consumer group and internal topic prefix.</summary>
    public string ApplicationId { get; set; } = "otto";

    /// <summary>group.instance.id (static group membership, KIP-345): a name for this instance that stays the same
    /// across its restarts and no other instance of the application has, e.g. the pod's name of a StatefulSet. Each
    /// stream thread's consumer joins as <c>{GroupInstanceId}-{thread index}</c>. A restarted member then gets its
    /// partitions back without a rebalance, as long as it is back within the session timeout; but a member that stops
    /// does not leave the group, so its partitions wait that long whether it comes back or not. Unless
    /// session.timeout.ms is set in <see cref="KafkaOptions.Properties"/>, Otto then sets the main consumer's to
    /// <see cref="StaticSessionTimeout"/>. Null (default): dynamic membership.</summary>
    public string? GroupInstanceId { get; set; }

    /// <summary>The main consumer's session.timeout.ms Otto sets with <see cref="GroupInstanceId"/> unless one is
    /// configured: long enough for a rolling update's restart (stop, a new pod scheduled, its image pulled, start),
    /// which librdkafka's 45 s may not cover.</summary>
    public static readonly TimeSpan StaticSessionTimeout = TimeSpan.FromMinutes(2);

    /// <summary>num.stream.threads: stream threads in this instance.</summary>
    public int NumStreamThreads { get; set; } = 1;

    /// <summary>commit.interval.ms: how often offsets are committed (and, under exactly-once, transactions).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>state.dir: where state lives, {StateDir}/{ApplicationId}/{task}/rocksdb/{store} (`--state-dir`).</summary>
    public string StateDir { get; set; } = Path.Combine(Path.GetTempPath(), "otto-streams");

    /// <summary>processing.guarantee: AT_LEAST_ONCE, or EXACTLY_ONCE (a real cluster only: the embedded one
    /// cannot prove it).</summary>
    public ProcessingGuarantee Guarantee { get; set; } = ProcessingGuarantee.AT_LEAST_ONCE;

    /// <summary>What to do with output the cluster refuses: Retry (retriable errors, then fail), Fail, or Continue
    /// (to the dead-letter topic). Default: Retry, and Fail under EXACTLY_ONCE.</summary>
    public ProductionErrorHandling? ProductionErrors { get; set; }

    /// <summary>max.task.idle.ms: how long a task with records buffered for some of its partitions waits for the others
    /// before it processes what it has. Streamiz's default, 0, let a stream-table join lose up to 7% of its results on
    /// a cold start (replies processed before their requests' table partition was fetched). Streamiz waits whenever any
    /// input partition has nothing buffered (Kafka Streams before KIP-695), and the payment task reads eleven topics, so
    /// this is also latency each time a quiet task gets a record: with 2 s the demo's replies missed its 2 s reply
    /// timeout (requests=48, against 28 with 500 ms). Otto's default: 500 ms.</summary>
    public TimeSpan MaxTaskIdle { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>max.poll.restoring.records: the most changelog records a stream thread restores per pass of its loop.
    /// Streamiz's default (1,000) caps restoration at about 10,000 records/s with Streamiz's PollMs, since a pass also
    /// polls for up to PollMs (100 ms; Otto's <see cref="PollTimeout"/> 10 ms) whatever the store: a task taking over
    /// partitions after a crash stays blind that long. Otto's default
    /// 10,000: 63,856 records/s against 9,453 (`./otto bench store-restore`, 0.71 of a raw consumer against 0.11).</summary>
    public int MaxPollRestoringRecords { get; set; } = 10_000;

    /// <summary>poll.ms: how long a stream thread's poll gathers records before it processes them. Streamiz's poll goes on
    /// for all of it unless MaxPollRecords (500) arrive first, and restoration shares that loop, so at a moderate rate
    /// every record waited up to this long, and a restoring thread polled this long after each MaxPollRestoringRecords.
    /// Streamiz's default, 100 ms; Otto's 10 ms: fact → flag p99 641.6 ms against 847.5 (`./otto bench payments-latency`;
    /// with MaxTaskIdle 0, 130.3 against 314.4), and changelog restoration 1.27 times a raw consumer's rate against 0.62
    /// (`./otto bench store-restore`). An idle thread loops a hundred times a second.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The one RocksDB block cache every store of this instance shares, in bytes (data blocks, and the index and
    /// filter blocks too). Streamiz's own: 50 MiB per store. See README, State stores, memory.</summary>
    public long RocksDbBlockCacheSize { get; set; } = 64L << 20;

    /// <summary>A RocksDB memtable's size in bytes; each store keeps up to three (Streamiz's default: 16 MiB).</summary>
    public long RocksDbWriteBufferSize { get; set; } = 16L << 20;

    /// <summary>How long SIGTERM may take: finish the record in hand, commit, flush, close.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>metrics.interval.ms: how often Streamiz's sensors are reported to Otto's meters.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(30);
}
