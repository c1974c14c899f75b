using Confluent.Kafka;
using Otto.Streams.EmbeddedKafka;
using Streamiz.Kafka.Net;
using Xunit.Abstractions;

namespace Otto.IntegrationTests.Smoke;

/// <summary>The smoke topology, two Streamiz instances on a three-broker embedded cluster while it misbehaves: a
/// broker down (its partitions' leadership moved to another replica, as a controller does) and up, partition leaders
/// and the group coordinator moved, request errors injected on Produce, Fetch and OffsetCommit. Same verifier: nothing lost, every per-key result right, both instances still running.</summary>
public class FaultInjectionTests(ITestOutputHelper output)
{
    private const string App = "smoke-faults";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private const int Keys = 24, PerPhase = 10, Phases = 3, Partitions = 6;

    // Every topic's partition p is led by broker p % 3 + 1 at first.
    private static int Leader(int partition) => partition % 3 + 1;

    [Fact]
    public async Task Broker_loss_leader_and_coordinator_moves_and_request_errors_lose_nothing()
    {
        using var kafka = EmbeddedKafkaCluster.Start(brokers: 3);
        // The changelog too, replicated: Streamiz would create it with one replica, on the broker that goes down.
        var topics = new[] { SmokeTopology.Input, SmokeTopology.Output, SmokeTopology.Changelog(App) };
        foreach (var topic in topics)
        {
            kafka.CreateTopic(topic, Partitions, replicationFactor: 3);
            for (var p = 0; p < Partitions; p++) kafka.SetPartitionLeader(topic, p, Leader(p));
        }
        kafka.SetCoordinator(CoordinatorType.Group, App, 1);
        var loggers = TestLoggers.For(output);
        var replays = new SmokeTopology.ReplayCounter();
        var restores = new RestoreCounter();
        var stateRoot = Directory.CreateTempSubdirectory("otto-smoke-").FullName;
        using var verifier = new SmokeVerifier(kafka.BootstrapServers, Keys, PerPhase * Phases);
        var instances = Enumerable.Range(0, 2).Select(i => new SmokeInstance(kafka, App, Path.Combine(stateRoot, $"instance-{i}"), replays, restores, loggers)).ToList();
        // On a timeout, what the instances and the output looked like.
        async Task Until(Func<bool> condition, string what)
        {
            try { await Eventually.True(condition, Wait, what); }
            catch (TimeoutException)
            {
                output.WriteLine($"at timeout: results={verifier.OutputCount} states={string.Join(",", instances.Select(i => i.State))} " +
                    $"partitions={string.Join(",", instances.Select(i => i.Clients.AssignedPartitions))} " +
                    $"errors={string.Join(" | ", instances.Select(i => i.Failure.Error?.Message))} unfinished: {verifier.Unfinished()}");
                throw;
            }
        }
        try
        {
            foreach (var instance in instances) await instance.Stream.StartAsync();
            await Until(() => instances.All(s => s.State == KafkaStream.State.RUNNING && s.Clients.AssignedPartitions > 0), "two running instances, each with partitions");

            // Phase 1: a broker goes away while the instances process. A real cluster's controller then moves the leadership
            // of its partitions to the other replicas, which the mock does not: done here. Until then, the instances'
            // next commit waits for the records bound to the lost leader (Streamiz flushes its producer with no timeout).
            verifier.ProduceNext(PerPhase);
            kafka.SetBrokerDown(2);
            foreach (var topic in topics)
                for (var p = 0; p < Partitions; p++)
                    if (Leader(p) == 2) kafka.SetPartitionLeader(topic, p, 3);
            await Until(() => verifier.OutputCount >= Keys * PerPhase, "the first phase's results without broker 2");
            kafka.SetBrokerUp(2);

            // Phase 2: every partition's leader and the group's coordinator move.
            foreach (var topic in topics)
                for (var p = 0; p < Partitions; p++) kafka.SetPartitionLeader(topic, p, (p + 1) % 3 + 1);
            kafka.SetCoordinator(CoordinatorType.Group, App, 3);
            verifier.ProduceNext(PerPhase);
            await Until(() => verifier.OutputCount >= Keys * PerPhase * 2, "the second phase's results");

            // Phase 3: requests fail with errors a client must retry.
            kafka.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.RequestTimedOut, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
            kafka.PushRequestErrors(KafkaApiKey.Fetch, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
            kafka.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.NotCoordinatorForGroup, ErrorCode.RequestTimedOut);
            verifier.ProduceNext(PerPhase);

            await Until(verifier.Complete, "every key's final result");
            var duplicates = verifier.Verify();
            output.WriteLine($"faults: records={verifier.Total} replays_skipped={replays.Count} duplicate_results={duplicates} restored={restores}");
            await Until(() => instances.All(s => s.State == KafkaStream.State.RUNNING), "both instances running");
        }
        finally
        {
            // A stream closing flushes its producer with no timeout: never against a broker that is down.
            kafka.SetBrokerUp(2);
            foreach (var api in new[] { KafkaApiKey.Produce, KafkaApiKey.Fetch, KafkaApiKey.OffsetCommit }) kafka.ClearRequestErrors(api);
            foreach (var instance in instances) instance.Dispose();
            try { Directory.Delete(stateRoot, recursive: true); } catch (IOException) { }
        }
    }
}
