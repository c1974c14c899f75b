using Otto.Streams.EmbeddedKafka;
using Streamiz.Kafka.Net;
using Xunit.Abstractions;

namespace Otto.IntegrationTests.Smoke;

/// <summary>Three instances of one Streamiz application share the smoke input; one of them dies without closing, its
/// tasks move to the others, which restore its store from the changelog and go on: nothing lost, every per-key count
/// and sum right.</summary>
public class MultiInstanceTests(ITestOutputHelper output)
{
    private const string App = "smoke-multi";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_killed_instance_s_tasks_move_restore_and_nothing_is_lost()
    {
        using var kafka = EmbeddedKafkaCluster.Start();
        kafka.CreateTopic(SmokeTopology.Input, 6);
        kafka.CreateTopic(SmokeTopology.Output, 6);
        var loggers = TestLoggers.For(output);
        var replays = new SmokeTopology.ReplayCounter();
        var restores = new RestoreCounter();
        var stateRoot = Directory.CreateTempSubdirectory("otto-smoke-").FullName;
        using var verifier = new SmokeVerifier(kafka.BootstrapServers, keys: 30, recordsPerKey: 60);

        // The victim commits rarely, so it dies holding processed but uncommitted records, which its successors see
        // again (and skip as replays).
        var instances = Enumerable.Range(0, 3).Select(i => new SmokeInstance(kafka, App, Path.Combine(stateRoot, $"instance-{i}"), replays, restores, loggers,
            commitInterval: i == 0 ? TimeSpan.FromSeconds(5) : null, killable: i == 0)).ToList();
        try
        {
            foreach (var instance in instances) await instance.Stream.StartAsync();
            await Eventually.True(() => instances.All(s => s.State == KafkaStream.State.RUNNING && s.Clients.AssignedPartitions > 0), Wait,
                "three running instances, each with partitions");

            verifier.ProduceNext(30);
            await Eventually.True(() => verifier.OutputCount >= verifier.Total / 3, Wait, "a third of the results");
            var victimPartitions = instances[0].Clients.AssignedPartitions;
            instances[0].Clients.Kill();
            await Eventually.True(() => instances[0].State == KafkaStream.State.ERROR, Wait, "the victim to die");
            verifier.ProduceNext(30);

            try { await Eventually.True(verifier.Complete, Wait, "every key's final result"); }
            catch (TimeoutException)
            {
                output.WriteLine($"at timeout: {verifier.Unfinished()}; states {string.Join(",", instances.Select(i => i.State))}");
                throw;
            }
            var duplicates = verifier.Verify();
            output.WriteLine($"smoke: records={verifier.Total} victim_partitions={victimPartitions} restored={restores.Restored} replays_skipped={replays.Count} duplicate_results={duplicates}");
            Assert.True(restores.Restored > 0, "the moved tasks restored their stores");
            Assert.Equal(6, instances.Skip(1).Sum(i => i.Clients.AssignedPartitions));
            // The survivors settle (a last rebalance may still be finishing) and keep running.
            await Eventually.True(() => instances.Skip(1).All(s => s.State == KafkaStream.State.RUNNING), Wait, "both survivors running");
        }
        finally
        {
            foreach (var instance in instances) instance.Dispose();
            try { Directory.Delete(stateRoot, recursive: true); } catch (IOException) { }
        }
    }
}
