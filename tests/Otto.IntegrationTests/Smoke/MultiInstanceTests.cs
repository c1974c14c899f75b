using Otto.Streams;
using Otto.Streams.Runtime;
using Otto.Streams.Worker.Embedded;
using Xunit.Abstractions;

namespace Otto.IntegrationTests.Smoke;

/// <summary>Three instances of one application share the smoke input; one of them dies without closing, its
/// tasks move to the others, which restore their state from the changelog and go on: nothing lost, every
/// per-key count and sum right.</summary>
public class MultiInstanceTests(ITestOutputHelper output)
{
    private const string App = "smoke-multi";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    internal static StreamConfig Config(string bootstrap, string app, string stateDir, TimeSpan? commitInterval = null,
        IReadOnlyDictionary<string, string>? extra = null) => new()
    {
        ApplicationId = app,
        BootstrapServers = bootstrap,
        CommitInterval = commitInterval ?? TimeSpan.FromMilliseconds(200),
        StateDir = stateDir,
        ClientProperties = new Dictionary<string, string>(DevCluster.ClientProperties)
        {
            // A member that stops polling (a hung or killed thread) is dropped from the group after 7 s.
            ["consumer.max.poll.interval.ms"] = "7000",
        }.Concat(extra ?? new Dictionary<string, string>()).ToDictionary(),
    };

    [Fact]
    public async Task A_killed_instance_s_tasks_move_restore_and_nothing_is_lost()
    {
        await using var cluster = await DevCluster.StartAsync("smoke", 1);
        cluster.Kafka.CreateTopic(SmokeTopology.Input, 6);
        cluster.Kafka.CreateTopic(SmokeTopology.Output, 6);
        var replays = new SmokeTopology.ReplayCounter();
        var stateRoot = Path.Combine(Path.GetTempPath(), "otto-smoke", Guid.NewGuid().ToString("N"));
        using var victimClients = new KillableSupplier();
        using var verifier = new SmokeVerifier(cluster.BootstrapServers, keys: 30, recordsPerKey: 60);

        using var restores = new RestoreCounter();
        // The victim commits rarely, so it dies holding processed but uncommitted records, which its
        // successors see again.
        var instances = Enumerable.Range(0, 3).Select(i => new KafkaStream(SmokeTopology.Build(replays),
            Config(cluster.BootstrapServers, App, Path.Combine(stateRoot, $"instance-{i}"), i == 0 ? TimeSpan.FromSeconds(5) : null),
            supplier: i == 0 ? victimClients : null, topicManager: cluster.TopicManager)).ToList();
        try
        {
            foreach (var instance in instances) instance.Start();
            await Eventually.True(() => instances.All(s => s.State == KafkaStreamState.Running), Wait, "three running instances");

            verifier.ProduceNext(30);
            await Eventually.True(() => verifier.OutputCount >= verifier.Total / 3, Wait, "a third of the results");
            victimClients.Kill();
            await Eventually.True(() => instances[0].State == KafkaStreamState.Error, Wait, "the victim to die");
            verifier.ProduceNext(30);

            await Eventually.True(verifier.Complete, Wait, "every key's final result");
            var duplicates = verifier.Verify();
            output.WriteLine($"smoke: records={verifier.Total} restored={restores.Restored} replays_skipped={replays.Count} duplicate_results={duplicates}");
            Assert.True(restores.Restored > 0, "the moved tasks restored their stores");
            // The survivors settle (a last rebalance may still be finishing) and keep running.
            await Eventually.True(() => instances.Skip(1).All(s => s.State == KafkaStreamState.Running), Wait, "both survivors running");
        }
        finally
        {
            foreach (var instance in instances) instance.Dispose();
        }
    }
}
