using Confluent.Kafka;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.Metrics;

namespace Otto.Streams.Streamiz.Instances;

/// <summary>
/// The partitions this instance's stream threads hold, learned from their consumers' rebalance callbacks. Streamiz
/// 1.8 keeps its tasks to itself (no metadata API, no application.server, and <c>StoreQueryParameters</c> has no
/// partition), so this wraps the <see cref="IKafkaSupplier"/> a KafkaStream builds its clients with and puts a
/// listener of its own in front of Streamiz's rebalance listener; every other client passes through untouched.
/// </summary>
internal sealed class AssignmentTracker(IKafkaSupplier inner) : IKafkaSupplier
{
    private readonly Lock _lock = new();
    // One set per stream thread's consumer: a thread's revocation must not drop another thread's partitions.
    private readonly List<HashSet<TopicPartition>> _consumers = [];

    /// <summary>Raised on the stream thread, right after its assignment changed; handlers must be quick.</summary>
    public event Action? Changed;

    /// <summary>Raised on the stream thread with the partitions it gives up, before Streamiz closes their tasks.</summary>
    public event Action<IReadOnlyCollection<TopicPartition>>? Revoked;

    /// <summary>The partitions held now, over all stream threads.</summary>
    public IReadOnlySet<TopicPartition> Partitions
    {
        get
        {
            lock (_lock) return _consumers.SelectMany(c => c).ToHashSet();
        }
    }

    /// <summary>True when a stream thread of this instance holds <paramref name="partition"/>.</summary>
    public bool Holds(TopicPartition partition)
    {
        lock (_lock) return _consumers.Any(c => c.Contains(partition));
    }

    public IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IConsumerRebalanceListener rebalanceListener) =>
        // Only stream threads pass a listener; the restore, global and external consumers hold no tasks.
        inner.GetConsumer(config, rebalanceListener is null ? null : new Listener(this, rebalanceListener));

    public IProducer<byte[], byte[]> GetProducer(ProducerConfig config) => inner.GetProducer(config);

    public IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config) => inner.GetRestoreConsumer(config);

    public IAdminClient GetAdmin(AdminClientConfig config) => inner.GetAdmin(config);

    public IConsumer<byte[], byte[]> GetGlobalConsumer(ConsumerConfig config) => inner.GetGlobalConsumer(config);

    public StreamMetricsRegistry MetricsRegistry
    {
        get => inner.MetricsRegistry;
        set => inner.MetricsRegistry = value;
    }

    private HashSet<TopicPartition> Register()
    {
        var held = new HashSet<TopicPartition>();
        lock (_lock) _consumers.Add(held);
        return held;
    }

    private void Update(HashSet<TopicPartition> held, IReadOnlyCollection<TopicPartition> partitions, bool assigned)
    {
        lock (_lock)
        {
            if (assigned) held.UnionWith(partitions);
            else held.ExceptWith(partitions);
        }
        if (!assigned) Revoked?.Invoke(partitions);
        Changed?.Invoke();
    }

    // Adds on assignment, removes on revocation or loss, so it holds under the eager protocol (Streamiz's default
    // range assignor: revoke all, assign all) and the cooperative one (increments) alike. Partitions are claimed
    // only after Streamiz has created their tasks, and given up before Streamiz closes them.
    private sealed class Listener(AssignmentTracker tracker, IConsumerRebalanceListener streamiz) : IConsumerRebalanceListener
    {
        private readonly HashSet<TopicPartition> _held = tracker.Register();

        public void PartitionsAssigned(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions)
        {
            streamiz.PartitionsAssigned(consumer, partitions);
            tracker.Update(_held, partitions, assigned: true);
        }

        public void PartitionsRevoked(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
        {
            tracker.Update(_held, partitions.Select(p => p.TopicPartition).ToList(), assigned: false);
            streamiz.PartitionsRevoked(consumer, partitions);
        }

        public void PartitionsLost(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
        {
            tracker.Update(_held, partitions.Select(p => p.TopicPartition).ToList(), assigned: false);
            streamiz.PartitionsLost(consumer, partitions);
        }
    }
}
