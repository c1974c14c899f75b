using System.Diagnostics;
using Confluent.Kafka;
using Otto.Contracts.Otto;
using Otto.Payments;
using Otto.Schemas.Registry;
using Otto.Streams.SchemaRegistry;
using Streamiz.Kafka.Net.SerDes;
using Otto.Streams.Worker.Embedded;

namespace Otto.IntegrationTests;

/// <summary>
/// A failure that is not a record's fault stops `otto run` with one line saying what to fix, and no record is
/// dead-lettered for it. Regression: a worker started against a registry without Otto's subjects sent 100% of its
/// input to the dead-letter topic ("subject 'otto-payments-changelog-value' not found").
/// </summary>
public class WorkerRegistryFailureTests(Xunit.Abstractions.ITestOutputHelper testOutput)
{
    [Fact]
    public async Task Subjects_missing_with_auto_registration_off_stop_the_worker_with_how_to_register_them() =>
        await RunAgainst(cluster => cluster.RegistryUrl.ToString(), "AutoRegisterSchemas is off", "otto schemas register");

    [Fact]
    public async Task An_unreachable_registry_stops_the_worker() =>
        await RunAgainst(_ => "http://127.0.0.1:1", "schema registry unreachable");

    private async Task RunAgainst(Func<DevCluster, string> registryUrl, params string[] says)
    {
        const string env = "regfail", app = "otto-regfail";
        await using var cluster = await DevCluster.StartAsync(env, partitions: 1, applicationId: app);
        var topics = new PaymentTopics(env);
        // The source system registers its own schema (as CPR would), so the fact itself is readable.
        var source = new PaymentsSerDes(new SchemaRegistryOptions { Url = cluster.RegistryUrl.ToString() }.CreateClient(), autoRegisterSchemas: true);
        using (var producer = PaymentFacts.Producer(cluster.BootstrapServers))
        {
            producer.Produce(source, topics.PaymentAdded, "p1", PaymentFacts.Added("p1"));
            producer.Flush();
        }
        using var deadLetters = new TopicReader<string, byte[]>(cluster.BootstrapServers, topics.DeadLetter, new StringSerDes(), new ByteArraySerDes());

        var start = OttoCommand.StartInfo("run", "--bootstrap", cluster.BootstrapServers, "--schema-registry", registryUrl(cluster),
            "--env", env, "--state-dir", Directory.CreateTempSubdirectory("otto-regfail-").FullName);
        foreach (var (key, value) in DevCluster.ClientProperties) start.Environment[$"Otto__Kafka__Properties__{key}"] = value;
        foreach (var (name, value) in new Dictionary<string, string>
                 {
                     ["Otto__Streams__ApplicationId"] = app,
                     ["Otto__SchemaRegistry__MaxRetries"] = "1",
                     ["Otto__Metrics__Enabled"] = "false",
                     ["Otto__Query__Enabled"] = "false",
                 })
            start.Environment[name] = value;
        using var worker = Process.Start(start)!;
        var output = worker.StandardOutput.ReadToEndAsync();
        var error = worker.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await worker.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
        }
        var log = await output + await error;

        try
        {
            Assert.NotEqual(0, worker.ExitCode);
            var lines = log.Split('\n');
            var stop = Assert.Single(Enumerable.Range(0, lines.Length), i => lines[i].Contains("The worker stops:"));
            Assert.All(says, s => Assert.Contains(s, lines[stop]));
            // One line, no stack trace (Streamiz's own error log before it has one, with the same cause).
            Assert.DoesNotContain("   at ", lines.Length > stop + 1 ? lines[stop + 1] : "");
            Assert.Empty(deadLetters.Records);
        }
        catch
        {
            testOutput.WriteLine($"exit code {worker.ExitCode}:\n{log}");
            throw;
        }
    }
}
