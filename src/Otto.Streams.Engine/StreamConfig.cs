using Confluent.Kafka;
using Otto.Streams.SerDes;

namespace Otto.Streams;

/// <summary>What to do with a record that cannot be deserialized or that makes a processor throw.</summary>
public enum ErrorHandling
{
    /// <summary>Stop the stream thread (the record is not committed and will be seen again after a restart).</summary>
    Fail,

    /// <summary>Log the error and skip the record.</summary>
    LogAndContinue,

    /// <summary>Write the original bytes to <see cref="StreamConfig.DeadLetterTopic"/> with the error in headers, and skip it.</summary>
    DeadLetter,
}

/// <summary>The processing guarantee.</summary>
public enum ProcessingGuarantee
{
    /// <summary>Output and state changes are flushed before offsets are committed; a crash may repeat records.</summary>
    AtLeastOnce,

    /// <summary>exactly_once_v2: one transactional producer per thread; output, changelog writes and consumed offsets
    /// commit together in one transaction or not at all, and consumers read committed data only.
    /// Needs a real cluster: the embedded mock accepts transactions but writes no markers.</summary>
    ExactlyOnceV2,
}

/// <summary>What to do when the cluster refuses a record the topology produced (Kafka Streams' production
/// exception handler).</summary>
public enum ProductionErrorHandling
{
    /// <summary>Stop the stream thread; offsets past the lost output are never committed.</summary>
    Fail,

    /// <summary>Send the record again, up to <see cref="StreamConfig.ProductionRetries"/> times, when the error is
    /// retriable (timeouts, leader changes, lost connections) after librdkafka's own retries gave up; fail otherwise.</summary>
    Retry,

    /// <summary>Give the record up and go on: it goes to <see cref="StreamConfig.DeadLetterTopic"/> when one is set
    /// (stage "production"), otherwise it is logged and counted as dropped.</summary>
    Continue,
}

/// <summary>Configuration of a <see cref="KafkaStream"/>, named after the Kafka Streams settings it mirrors.</summary>
public sealed class StreamConfig
{
    /// <summary>application.id: the consumer group and the prefix of internal topics.</summary>
    public required string ApplicationId { get; init; }

    /// <summary>bootstrap.servers.</summary>
    public string BootstrapServers { get; init; } = "localhost:9092";

    /// <summary>num.stream.threads.</summary>
    public int NumStreamThreads { get; init; } = 1;

    /// <summary>commit.interval.ms: how often offsets are committed (after flushing output and stores).</summary>
    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>poll.ms: the longest a thread blocks waiting for records, which bounds wall-clock punctuation lateness.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>max.poll.records: records processed between checks for punctuation and commit.</summary>
    public int MaxPollRecords { get; init; } = 500;

    /// <summary>max.task.idle.ms: how long a task with buffered records waits for an input partition that has not
    /// reported its end and may still deliver older records, before it processes what it has. Tasks take records in
    /// timestamp order across their partitions (see README, "Record order").</summary>
    public TimeSpan MaxTaskIdle { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>buffered.records.per.partition: fetched records a task buffers per partition before the consumer
    /// pauses that partition.</summary>
    public int BufferedRecordsPerPartition { get; init; } = 1000;

    /// <summary>processing.guarantee.</summary>
    public ProcessingGuarantee Guarantee { get; init; } = ProcessingGuarantee.AtLeastOnce;

    /// <summary>What to do with records that cannot be deserialized (Kafka Streams' default is to fail).</summary>
    public ErrorHandling DeserializationErrors { get; init; } = ErrorHandling.Fail;

    /// <summary>What to do when a processor throws on a record.</summary>
    public ErrorHandling ProcessingErrors { get; init; } = ErrorHandling.Fail;

    /// <summary>What to do with output the cluster refuses. Under <see cref="ProcessingGuarantee.ExactlyOnceV2"/>
    /// only <see cref="ProductionErrorHandling.Fail"/> is allowed: a failed send dooms the whole transaction.</summary>
    public ProductionErrorHandling ProductionErrors { get; init; } = ProductionErrorHandling.Fail;

    /// <summary>How many times <see cref="ProductionErrorHandling.Retry"/> sends a record again before failing.</summary>
    public int ProductionRetries { get; init; } = 5;

    /// <summary>statistics.interval.ms of the stream's clients; librdkafka's statistics become gauges
    /// (otto.streams.client.*) when positive. Zero (the default) turns them off.</summary>
    public TimeSpan StatisticsInterval { get; init; } = TimeSpan.Zero;

    /// <summary>The dead-letter topic, required when either handling is <see cref="ErrorHandling.DeadLetter"/>.</summary>
    public string? DeadLetterTopic { get; init; }

    /// <summary>state.dir: where persistent stores live, in <c>{StateDir}/{ApplicationId}/{task}/{store}</c>,
    /// with one lock file and one <c>.checkpoint</c> file of changelog offsets per task directory.</summary>
    public string StateDir { get; init; } = Path.Combine(Path.GetTempPath(), "otto-streams");

    /// <summary>Capacity of the one LRU block cache shared by all RocksDB stores of this instance (data, index
    /// and filter blocks). Default 64 MiB.</summary>
    public long RocksDbBlockCacheBytes { get; init; } = State.RocksDb.RocksDbMemory.DefaultBlockCacheBytes;

    /// <summary>Memtable budget shared by all RocksDB stores of this instance, split evenly between the open
    /// stores (each gets up to 2 memtables of budget / (2 × stores)). Default 32 MiB.</summary>
    public long RocksDbWriteBufferBytes { get; init; } = State.RocksDb.RocksDbMemory.DefaultWriteBufferBytes;

    /// <summary>Most changelog records restored between two polls of the main consumer, so that a long
    /// restoration never keeps the thread from polling (max.poll.interval.ms). Default 10,000.</summary>
    public int RestoreBatchRecords { get; init; } = 10_000;

    /// <summary>Replication factor of internal topics created on a real cluster (-1: the broker default).</summary>
    public short ReplicationFactor { get; init; } = -1;

    /// <summary>Key serde of sources, sinks and stores that name none.</summary>
    public ISerDes? DefaultKeySerDes { get; init; }

    /// <summary>Value serde of sources, sinks and stores that name none.</summary>
    public ISerDes? DefaultValueSerDes { get; init; }

    /// <summary>Extra librdkafka properties: unprefixed for every client (security.protocol, sasl.*, ssl.*, ...),
    /// or prefixed "producer.", "consumer." or "admin." for one kind of client only.</summary>
    public IReadOnlyDictionary<string, string> ClientProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>application.server: "host:port" where this instance answers interactive queries. When set, the
    /// instance publishes it with its assigned partitions to the topic <c>{ApplicationId}-instances</c> (after each
    /// rebalance and every <see cref="InstanceHeartbeatInterval"/>) and reads the others' from it, so
    /// <see cref="KafkaStream.QueryMetadataForKey{K}"/> can name the instance that holds a key. Null: no discovery.</summary>
    public string? ApplicationServer { get; init; }

    /// <summary>How often an instance re-publishes its application server and partitions; an entry not refreshed
    /// for three intervals is taken for a dead instance. Default 10 s.</summary>
    public TimeSpan InstanceHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>librdkafka's partitioner of the stream's producers, and how <see cref="KafkaStream.QueryMetadataForKey{K}"/>
    /// computes a key's partition: it must be the one the producers of the source topics use. Default
    /// <see cref="Partitioner.Murmur2Random"/> (the Java clients'); librdkafka's own default is
    /// <see cref="Partitioner.ConsistentRandom"/> (CRC32). Only keyed partitioners are allowed.</summary>
    public Partitioner Partitioner { get; init; } = Partitioner.Murmur2Random;

    /// <summary>How long a clean shutdown may take before it gives up waiting for threads.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws when the settings contradict each other.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ApplicationId)) throw new ArgumentException("ApplicationId is required.");
        if (NumStreamThreads < 1) throw new ArgumentException("NumStreamThreads must be at least 1.");
        if (Guarantee == ProcessingGuarantee.ExactlyOnceV2 && ProductionErrors != ProductionErrorHandling.Fail)
            throw new ArgumentException("Under ExactlyOnceV2 a failed send aborts the transaction: ProductionErrors must be Fail.");
        if (ProductionRetries < 0) throw new ArgumentException("ProductionRetries must not be negative.");
        if (RocksDbBlockCacheBytes <= 0) throw new ArgumentException("RocksDbBlockCacheBytes must be positive.");
        if (RocksDbWriteBufferBytes < 2 * State.RocksDb.RocksDbMemory.MinMemtableBytes)
            throw new ArgumentException($"RocksDbWriteBufferBytes must be at least {2 * State.RocksDb.RocksDbMemory.MinMemtableBytes} bytes.");
        if (RestoreBatchRecords < 1) throw new ArgumentException("RestoreBatchRecords must be at least 1.");
        if (MaxTaskIdle < TimeSpan.Zero) throw new ArgumentException("MaxTaskIdle must not be negative.");
        if (BufferedRecordsPerPartition < 1) throw new ArgumentException("BufferedRecordsPerPartition must be at least 1.");
        if (ApplicationServer is not null && Query.HostInfo.TryParse(ApplicationServer) is null)
            throw new ArgumentException($"ApplicationServer '{ApplicationServer}' is not host:port.");
        if (InstanceHeartbeatInterval <= TimeSpan.Zero) throw new ArgumentException("InstanceHeartbeatInterval must be positive.");
        if (Partitioner == Partitioner.Random) throw new ArgumentException("Partitioner must place records by key (Random does not): co-partitioning and key queries need it.");
        if ((DeserializationErrors == ErrorHandling.DeadLetter || ProcessingErrors == ErrorHandling.DeadLetter) && string.IsNullOrWhiteSpace(DeadLetterTopic))
            throw new ArgumentException("DeadLetterTopic is required when errors are dead-lettered.");
    }
}
