using Otto.Contracts;
using Otto.Contracts.Otto;
using Otto.IntegrationTests.Smoke;
using Otto.Payments;
using Otto.Payments.Rules;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Demo;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;
using Xunit.Abstractions;

namespace Otto.IntegrationTests;

/// <summary>A worker closed cleanly and started again still knows its payments: from its RocksDB stores and their
/// checkpoint when it keeps its state directory (nothing restored), from the changelogs when it starts on an empty
/// one (another machine). Either way a fact redelivered after the restart is a duplicate, not a second flag.</summary>
public class WorkerRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_restarted_worker_keeps_its_payment_store_and_does_not_flag_twice()
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
        var loggers = TestLoggers.For(output);
        using var requests = new TopicReader<string, GetTrnRq>(cluster.BootstrapServers, topics.GetTrnRq, serdes.Key, serdes.Value<GetTrnRq>());
        using var flags = new TopicReader<string, PaymentFlagged>(cluster.BootstrapServers, topics.PaymentFlagged, serdes.Key, serdes.Value<PaymentFlagged>());
        using var producer = PaymentFacts.Producer(cluster.BootstrapServers);
        void Send<T>(string topic, string key, T value) where T : class, Avro.Specific.ISpecificRecord
        {
            producer.Produce(serdes, topic, key, value);
            producer.Flush();
        }
        async Task FlagViaMismatch(string id)
        {
            Send(topics.PaymentAdded, id, PaymentFacts.Added(id));
            var request = await Eventually.Get(() => requests.Records.FirstOrDefault(r => r.Value.PaymentId == id)?.Value, Wait, $"GetTrnRq for {id}");
            Send(topics.GetTrnRs, request.CorrelationId, new GetTrnRs
            {
                CorrelationId = request.CorrelationId, Found = true, CoreStatus = PaymentStatus.COMPLETED, RespondedAt = DateTimeOffset.UtcNow,
            });
            await Eventually.True(() => flags.Records.Any(f => f.Key == id), Wait, $"flag for {id}");
        }

        using (await StreamHost.StartAsync(options, registry, new StreamStatus(), new StreamFailure(), loggers, cluster.Kafka))
        {
            await FlagViaMismatch("p1");
        } // a clean close: every task commits, flushes its stores and writes its checkpoint

        using var progress = new ProgressMeter();
        // CPR redelivers p1's first fact after each restart. With p1's state kept it is a duplicate; a worker that
        // forgot p1 would apply it, find p1 stuck again and raise the same flag a second time.
        async Task<RestoreCounter> RestartAndRedeliver(string paymentToFlag, int duplicatesBefore)
        {
            var restores = new RestoreCounter();
            var failure = new StreamFailure();
            using var worker = await StreamHost.StartAsync(options, registry, new StreamStatus(), failure, loggers, cluster.Kafka);
            // Restoring starts once the group has assigned the tasks, well after StartAsync has started the threads.
            restores.Watch(worker.Stream);
            Send(topics.PaymentAdded, "p1", PaymentFacts.Added("p1"));
            await FlagViaMismatch(paymentToFlag);
            await Eventually.True(() => progress.Total("otto.payments.facts", "outcome=duplicate") > duplicatesBefore, Wait, "the redelivered fact to be seen as a duplicate");
            Assert.Null(failure.Error);
            return restores;
        }

        // The same state directory: RocksDB and its checkpoint, nothing to restore.
        var restores = await RestartAndRedeliver("p2", duplicatesBefore: 0);
        output.WriteLine($"restored after a restart in place: {restores}");
        Assert.Equal(0, restores.RestoredExcept(PaymentsTopology.AccountsStore));

        // An empty state directory (another machine): every store restored from its changelog.
        options.Streams.StateDir = Path.Combine(cluster.StateDir, "another-machine");
        restores = await RestartAndRedeliver("p3", duplicatesBefore: 1);
        output.WriteLine($"restored on an empty state directory: {restores}");
        Assert.True(restores.RestoredExcept(PaymentsTopology.AccountsStore) > 0, $"restored from the changelogs: {restores}");

        Assert.Single(flags.Records, f => f.Key == "p1");
        Assert.Single(requests.Records, r => r.Value.PaymentId == "p1");
    }
}
