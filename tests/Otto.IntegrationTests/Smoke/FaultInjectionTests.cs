using Confluent.Kafka;
using Otto.Streams;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Runtime;
using Otto.Streams.Worker.Embedded;
using Xunit.Abstractions;

namespace Otto.IntegrationTests.Smoke;

/// <summary>The smoke topology on a three-broker embedded cluster while it misbehaves: a broker down and up,
/// partition leaders and the group coordinator moved, request errors injected on Produce, Fetch and
/// OffsetCommit. Same verifier: nothing lost, every per-key result right.</summary>
public class FaultInjectionTests(ITestOutputHelper output)
{
    private const string App = "smoke-faults";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private const int Keys = 24, PerPhase = 10, Phases = 3;

    [Fact]
    public async Task Broker_loss_leader_and_coordinator_moves_and_request_errors_lose_nothing()
    {
        using var kafka = EmbeddedKafkaCluster.Start(brokers: 3);
        var partitions = 6;
        var topics = new[] { SmokeTopology.Input, SmokeTopology.Output, $"{App}-{SmokeTopology.Store}-changelog" };
        foreach (var topic in topics) kafka.CreateTopic(topic, partitions, replicationFactor: 3);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var topicManager = new EmbeddedTopicManager(kafka, new AdminTopicManager(admin, 1, TimeSpan.FromSeconds(10)));
        var replays = new SmokeTopology.ReplayCounter();
        var stateRoot = Path.Combine(Path.GetTempPath(), "otto-smoke", Guid.NewGuid().ToString("N"));
        using var verifier = new SmokeVerifier(kafka.BootstrapServers, Keys, PerPhase * Phases);
        var instances = Enumerable.Range(0, 2).Select(i => new KafkaStream(SmokeTopology.Build(replays),
            MultiInstanceTests.Config(kafka.BootstrapServers, App, Path.Combine(stateRoot, $"instance-{i}")),
            topicManager: topicManager)).ToList();
        try
        {
            foreach (var instance in instances) instance.Start();
            await Eventually.True(() => instances.All(s => s.State == KafkaStreamState.Running), Wait, "two running instances");

            // Phase 1: a broker goes away while the instances process, and comes back once the partitions
            // other brokers lead made progress.
            verifier.ProduceNext(PerPhase);
            kafka.SetBrokerDown(2);
            await Eventually.True(() => verifier.OutputCount >= Keys * PerPhase / 3, Wait, "progress on the partitions other brokers lead");
            kafka.SetBrokerUp(2);

            // Phase 2: every partition's leader and the group's coordinator move.
            foreach (var topic in topics)
                for (var p = 0; p < partitions; p++) kafka.SetPartitionLeader(topic, p, (p + 1) % 3 + 1);
            kafka.SetCoordinator(CoordinatorType.Group, App, 3);
            verifier.ProduceNext(PerPhase);
            await Eventually.True(() => verifier.OutputCount >= Keys * PerPhase * 2, Wait, "the second phase's results");

            // Phase 3: requests fail with errors a client must retry.
            kafka.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.RequestTimedOut, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
            kafka.PushRequestErrors(KafkaApiKey.Fetch, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
            kafka.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.NotCoordinatorForGroup, ErrorCode.RequestTimedOut);
            verifier.ProduceNext(PerPhase);

            try { await Eventually.True(verifier.Complete, Wait, "every key's final result"); }
            catch (TimeoutException)
            {
                var error = instances.Select(i => i.FatalError).FirstOrDefault(e => e is not null);
                output.WriteLine($"at timeout: results={verifier.OutputCount} states={string.Join(",", instances.Select(i => i.State))} error={error}");
                throw;
            }
            var duplicates = verifier.Verify();
            output.WriteLine($"faults: records={verifier.Total} replays_skipped={replays.Count} duplicate_results={duplicates}");
            await Eventually.True(() => instances.All(s => s.State == KafkaStreamState.Running), Wait, "both instances running");
        }
        finally
        {
            foreach (var instance in instances) instance.Dispose();
        }
    }
}
