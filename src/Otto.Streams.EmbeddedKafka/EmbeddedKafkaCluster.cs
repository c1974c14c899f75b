using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.EmbeddedKafka.Native;
using Otto.Streams.KafkaNative;

namespace Otto.Streams.EmbeddedKafka;

/// <summary>
/// An in-process Kafka cluster: librdkafka's built-in mock cluster, speaking the real Kafka protocol on
/// 127.0.0.1, so any Kafka client in this or another process (Confluent.Kafka, kcat, ...) can use
/// <see cref="BootstrapServers"/>. Broker ids are 1 to <see cref="BrokerCount"/>.
/// </summary>
/// <remarks>
/// <para>
/// Create topics with <see cref="CreateTopic"/> BEFORE any client touches them: the mock cluster answers
/// a metadata request for an unknown topic by auto-creating it with 4 partitions, and a topic's partition
/// count cannot change afterwards.
/// </para>
/// <para>
/// Limits of librdkafka's mock (2.16): no CreateTopics/DeleteTopics/DescribeConfigs requests, no
/// compaction, each partition keeps only about 5 MiB or 100,000 batches (oldest data silently dropped),
/// transactions are accepted but read_committed does not hide aborted records and transactional offsets are
/// dropped. Use it for at-least-once work and tests.
/// </para>
/// <para>
/// Thread-safety: every member may be called from any thread at the same time. librdkafka runs each
/// mock operation on the cluster's own thread and waits for it. <see cref="Dispose"/> may race with
/// other calls: calls already inside librdkafka finish first, later calls throw
/// <see cref="ObjectDisposedException"/>.
/// </para>
/// </remarks>
public sealed partial class EmbeddedKafkaCluster : IDisposable
{
    private readonly KafkaHandle _owner;
    private readonly MockClusterHandle _cluster;
    private int _disposed;

    private EmbeddedKafkaCluster(KafkaHandle owner, MockClusterHandle cluster, int brokerCount)
    {
        _owner = owner;
        _cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_mock_cluster_bootstraps(cluster))
            ?? throw new EmbeddedKafkaException("rd_kafka_mock_cluster_bootstraps returned NULL");
    }

    /// <summary>Starts a mock cluster with <paramref name="brokers"/> brokers listening on 127.0.0.1.</summary>
    /// <param name="brokers">How many brokers.</param>
    /// <param name="loggers">Where the cluster's own librdkafka lines go (<see cref="LibrdkafkaLog"/>); null: raw to stderr.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="brokers"/> is less than 1.</exception>
    /// <exception cref="DllNotFoundException">librdkafka is not installed.</exception>
    /// <exception cref="EmbeddedKafkaException">librdkafka could not create the cluster.</exception>
    public static EmbeddedKafkaCluster Start(int brokers = 1, ILoggerFactory? loggers = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);

        KafkaHandle? owner = null;
        MockClusterHandle? cluster = null;
        try
        {
            using (var conf = ConfHandle.Create())
            {
                // The owner only hosts the cluster; keep its own chatter (e.g. "no bootstrap.servers") quiet.
                conf.Set("log_level", "3");
                conf.Set("client.id", "otto-embedded-kafka");
                var log = loggers is null ? default : LogCallback.Route(conf, new LibrdkafkaLog(loggers));
                try
                {
                    owner = KafkaHandle.CreateProducer(conf, log);
                }
                catch
                {
                    if (log.IsAllocated) log.Free();
                    throw;
                }
            }

            cluster = MockClusterHandle.Create(owner, brokers);
            return new EmbeddedKafkaCluster(owner, cluster, brokers);
        }
        catch
        {
            cluster?.Dispose();
            owner?.Dispose();
            throw;
        }
    }

    /// <summary>Comma-separated host:port list of the brokers, for a client's bootstrap.servers.</summary>
    public string BootstrapServers { get; }

    /// <summary>How many brokers the cluster has (ids 1 to BrokerCount).</summary>
    public int BrokerCount { get; }

    /// <summary>The loaded librdkafka's version string, e.g. "2.16.0".</summary>
    public static string LibrdkafkaVersion => LibRdKafka.Version;

    /// <summary>
    /// Creates a topic. Call it before any client asks for the topic's metadata, or the mock will already
    /// have auto-created it with 4 partitions.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a legal Kafka topic name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Partitions below 1, or replication factor not in 1..BrokerCount.</exception>
    /// <exception cref="EmbeddedKafkaException">
    /// The topic already exists (<see cref="ErrorCode.TopicAlreadyExists"/>; also when a client's metadata
    /// request auto-created it), or librdkafka refused it.
    /// </exception>
    public void CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ValidateTopicName(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, BrokerCount);
        ThrowIfDisposed();

        var err = LibRdKafka.rd_kafka_mock_topic_create(_cluster, name, partitions, replicationFactor);
        if (err == (int)ErrorCode.TopicAlreadyExists)
        {
            throw new EmbeddedKafkaException(
                $"Topic '{name}' already exists on the embedded cluster (created earlier, or auto-created with " +
                "4 partitions by a client's metadata request): " + LibRdKafka.ErrorString(err),
                ErrorCode.TopicAlreadyExists);
        }

        Check(err, $"creating topic '{name}' ({partitions} partitions, replication factor {replicationFactor})");
    }

    /// <summary>
    /// Disconnects the broker's clients and refuses new connections until <see cref="SetBrokerUp"/>.
    /// Partition leadership does not move.
    /// </summary>
    public void SetBrokerDown(int brokerId)
    {
        ValidateBroker(brokerId);
        Check(LibRdKafka.rd_kafka_mock_broker_set_down(_cluster, brokerId), $"setting broker {brokerId} down");
    }

    /// <summary>Lets the broker accept connections again.</summary>
    public void SetBrokerUp(int brokerId)
    {
        ValidateBroker(brokerId);
        Check(LibRdKafka.rd_kafka_mock_broker_set_up(_cluster, brokerId), $"setting broker {brokerId} up");
    }

    /// <summary>Delays every response of the broker by <paramref name="rtt"/> (whole milliseconds; zero to clear).</summary>
    public void SetBrokerRtt(int brokerId, TimeSpan rtt)
    {
        ValidateBroker(brokerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(rtt, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rtt, TimeSpan.FromMilliseconds(int.MaxValue));
        Check(LibRdKafka.rd_kafka_mock_broker_set_rtt(_cluster, brokerId, (int)rtt.TotalMilliseconds),
            $"setting broker {brokerId} round-trip time");
    }

    /// <summary>
    /// Moves a partition's leadership to <paramref name="brokerId"/>, or makes it leaderless with -1.
    /// The mock creates the topic (with 4 partitions) if it does not exist yet.
    /// </summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ValidateTopicName(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        if (brokerId != -1)
        {
            ValidateBroker(brokerId);
        }

        ThrowIfDisposed();
        Check(LibRdKafka.rd_kafka_mock_partition_set_leader(_cluster, topic, partition, brokerId),
            $"setting the leader of {topic} [{partition}] to broker {brokerId}");
    }

    /// <summary>
    /// Makes <paramref name="brokerId"/> the coordinator of a consumer group or transactional id
    /// (by default the mock hashes the key). The broker id does not have to exist.
    /// </summary>
    public void SetCoordinator(CoordinatorType type, string key, int brokerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        var keyType = type switch
        {
            CoordinatorType.Group => "group",
            CoordinatorType.Transaction => "transaction",
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown coordinator type"),
        };
        Check(LibRdKafka.rd_kafka_mock_coordinator_set(_cluster, keyType, key, brokerId),
            $"setting the {keyType} coordinator of '{key}' to broker {brokerId}");
    }

    /// <summary>
    /// Makes the next requests of type <paramref name="apiKey"/> (to any broker) fail, one per error, in order.
    /// <see cref="ErrorCode.Local_Transport"/> makes the broker drop the connection instead of answering.
    /// </summary>
    public void PushRequestErrors(KafkaApiKey apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length == 0)
        {
            return;
        }

        ThrowIfDisposed();
        var codes = Array.ConvertAll(errors, e => (int)e);
        LibRdKafka.rd_kafka_mock_push_request_errors_array(_cluster, (short)apiKey, (nuint)codes.Length, codes);
    }

    /// <summary>Forgets errors pushed with <see cref="PushRequestErrors"/> that were not used yet.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey)
    {
        ThrowIfDisposed();
        LibRdKafka.rd_kafka_mock_clear_request_errors(_cluster, (short)apiKey);
    }

    /// <summary>
    /// Makes the topic report <paramref name="error"/> in Metadata and AddPartitionsToTxn responses
    /// until set back to <see cref="ErrorCode.NoError"/>.
    /// </summary>
    public void SetTopicError(string topic, ErrorCode error)
    {
        ValidateTopicName(topic);
        ThrowIfDisposed();
        LibRdKafka.rd_kafka_mock_topic_set_error(_cluster, topic, (int)error);
    }

    /// <summary>Destroys the cluster (its brokers close their sockets), then its owning librdkafka handle. Safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The cluster handle holds a reference on the owner, so the owner goes last even if a call is in flight.
        _cluster.Dispose();
        _owner.Dispose();
    }

    private void ValidateBroker(int brokerId)
    {
        if (brokerId < 1 || brokerId > BrokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId,
                $"broker ids of this cluster are 1 to {BrokerCount}");
        }

        ThrowIfDisposed();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static void Check(int err, string what)
    {
        if (err != (int)ErrorCode.NoError)
        {
            throw new EmbeddedKafkaException($"Embedded Kafka: {what} failed: {LibRdKafka.ErrorString(err)}", (ErrorCode)err);
        }
    }

    private static void ValidateTopicName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 249 || name is "." or ".." || !LegalTopicName().IsMatch(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a legal Kafka topic name (1-249 of [a-zA-Z0-9._-], not '.' or '..')", nameof(name));
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex LegalTopicName();
}
