using Confluent.Kafka;
using Otto.Streams.KafkaNative;
using Streamiz.Kafka.Net.Kafka;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// The builders <see cref="DefaultKafkaClientSupplier"/> builds Streamiz's clients with, each client's librdkafka
/// log lines going to <see cref="LibrdkafkaLog"/>. Streamiz's own log handler writes every line at Debug whatever its
/// level (a broker refusing connections is invisible at Information), and a consumer built without a rebalance
/// listener gets none, so librdkafka prints raw to stderr. Streamiz sets its handler after getting the builder
/// (a second SetLogHandler throws), so ours replaces it as the client is built. Error handlers stay Streamiz's.
/// </summary>
internal sealed class LoggedClientBuilder(LibrdkafkaLog log) : DefaultKafkaClientBuilder
{
    public override ProducerBuilder<byte[], byte[]> GetProducerBuilder(ProducerConfig config) => new Producer(config, log);

    public override ConsumerBuilder<byte[], byte[]> GetConsumerBuilder(ConsumerConfig config) => new Consumer(config, log);

    public override AdminClientBuilder GetAdminBuilder(AdminClientConfig config) => new Admin(config, log);

    private sealed class Producer(ProducerConfig config, LibrdkafkaLog log) : ProducerBuilder<byte[], byte[]>(config)
    {
        public override IProducer<byte[], byte[]> Build()
        {
            LogHandler = log.Write;
            return base.Build();
        }
    }

    private sealed class Consumer(ConsumerConfig config, LibrdkafkaLog log) : ConsumerBuilder<byte[], byte[]>(config)
    {
        public override IConsumer<byte[], byte[]> Build()
        {
            LogHandler = log.Write;
            return base.Build();
        }
    }

    private sealed class Admin(AdminClientConfig config, LibrdkafkaLog log) : AdminClientBuilder(config)
    {
        public override IAdminClient Build()
        {
            LogHandler = log.Write;
            return base.Build();
        }
    }
}
