using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.Payments;
using Otto.Payments.Rules;
using Otto.Streams;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Demo;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;

namespace Otto.IntegrationTests;

public class WorkerRestartTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_restarted_worker_restores_its_payment_store_from_the_changelog_and_does_not_flag_twice()
    {
        await using var cluster = await DevCluster.StartAsync("restart", partitions: 2);
        var rules = new PaymentsOptions
        {
            Env = "restart",
            Rules = { [StuckStatusRule.Name] = new() { Sla = TimeSpan.FromSeconds(1) } },
            ReplyTimeout = TimeSpan.FromSeconds(5),
            MaxAttempts = 1,
            SweepInterval = TimeSpan.FromMilliseconds(100),
        };
        var options = cluster.WorkerOptions("otto-restart", rules, commitInterval: TimeSpan.FromMilliseconds(200));
        var topics = new PaymentTopics("restart");
        var registry = OttoRuntime.Registry(options.SchemaRegistry);
        var serdes = new PaymentsSerDes(registry, autoRegisterSchemas: true);
        using var requests = new TopicReader<string, GetTrnRq>(cluster.BootstrapServers, topics.GetTrnRq, serdes.Key, serdes.Value<GetTrnRq>());
        using var flags = new TopicReader<string, PaymentFlagged>(cluster.BootstrapServers, topics.PaymentFlagged, serdes.Key, serdes.Value<PaymentFlagged>());
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, Partitioner = Partitioner.Murmur2Random }).Build();
        void Send<T>(string topic, string key, T value) where T : class, Avro.Specific.ISpecificRecord
        {
            producer.Produce(serdes, topic, key, value);
            producer.Flush();
        }
        async Task FlagViaMismatch(string id)
        {
            Send(topics.PaymentAdded, id, PaymentFacts.Added(id));
            var request = await Eventually.Get(() => requests.Records.FirstOrDefault(r => r.Value.PaymentId == id).Value, Wait, $"GetTrnRq for {id}");
            Send(topics.GetTrnRs, request.CorrelationId, new GetTrnRs
            {
                CorrelationId = request.CorrelationId, Found = true, CoreStatus = PaymentStatus.COMPLETED, RespondedAt = DateTimeOffset.UtcNow,
            });
            await Eventually.True(() => flags.Records.Any(f => f.Key == id), Wait, $"flag for {id}");
        }

        using (var first = StreamHost.Start(options, registry, NullLoggerFactory.Instance, cluster.TopicManager))
        {
            await FlagViaMismatch("p1");
            Assert.True(first.Close());
        }

        using var progress = new ProgressMeter();
        using var second = StreamHost.Start(options, registry, NullLoggerFactory.Instance, cluster.TopicManager);
        // CPR redelivers p1's first fact. With the restored store it is a duplicate; a worker that forgot p1
        // would apply it, find p1 stuck again and raise the same flag a second time.
        Send(topics.PaymentAdded, "p1", PaymentFacts.Added("p1"));
        await FlagViaMismatch("p2");
        await Eventually.True(() => progress.Total("otto.payments.facts", "outcome=duplicate") >= 1, Wait, "the redelivered fact to be seen as a duplicate");

        // The payment store is RocksDB: the first worker's clean close checkpointed it, so nothing is replayed.
        Assert.Equal(0, progress.Total("otto.streams.records.restored"));
        Assert.Single(flags.Records, f => f.Key == "p1");
        Assert.Single(requests.Records, r => r.Value.PaymentId == "p1");
    }
}
