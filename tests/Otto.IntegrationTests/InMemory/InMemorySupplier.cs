using Confluent.Kafka;
using Otto.Streams.Runtime;

namespace Otto.IntegrationTests.InMemory;

/// <summary>Hands a <see cref="Otto.Streams.KafkaStream"/> clients of an <see cref="InMemoryKafka"/>, and is its topic manager.</summary>
internal sealed class InMemorySupplier(InMemoryKafka kafka) : IKafkaSupplier, IInternalTopicManager
{
    public IProducer<byte[], byte[]> GetProducer(ProducerConfig config) => new InMemoryProducer(kafka, config);
    public IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IRebalanceListener listener) => new InMemoryConsumer(kafka, config, listener);
    public IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config) => new InMemoryConsumer(kafka, config, null);
    public IAdminClient GetAdmin(AdminClientConfig config) => throw new NotSupportedException("Topics are managed by the supplier itself.");

    public IReadOnlyDictionary<string, int> GetPartitionCounts(IReadOnlyCollection<string> topics) =>
        topics.Where(t => kafka.PartitionCount(t) > 0).ToDictionary(t => t, kafka.PartitionCount);

    public void CreateTopics(IReadOnlyDictionary<string, int> topics, IReadOnlyDictionary<string, string> configs)
    {
        foreach (var (name, partitions) in topics) kafka.CreateTopic(name, partitions);
    }
}
