using Otto.DevSchemaRegistry;
using Otto.Payments;
using Otto.Schemas;
using Otto.Schemas.Registry;
using Otto.Streams.Worker.Cli;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.IntegrationTests;

/// <summary>
/// A failure that is not a record's fault stops `otto run` with one line saying what to fix, no stack trace, an exit code
/// of its own, and no record dead-lettered for it: at start when the set-up is wrong (Kafka, topics, registry, subjects),
/// while running when the registry goes away. Regressions: a worker started against a registry without Otto's subjects
/// sent 100% of its input to the dead-letter topic; with no traffic, a worker pointed at an unreachable registry ran on
/// as if nothing were wrong.
/// </summary>
public class WorkerStartupCheckTests(Xunit.Abstractions.ITestOutputHelper testOutput)
{
    private const string Env = "startup", App = "otto-startup";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90); // a child process at load 30 on 2 cores

    [Fact]
    public async Task Kafka_unreachable_stops_the_worker_within_the_startup_timeout()
    {
        var (exitCode, line, _) = await RunUntilExit(Worker("127.0.0.1:1", "http://127.0.0.1:1", ("Otto__Kafka__StartupTimeout", "00:00:03")));
        Assert.Equal(ExitCodes.KafkaUnreachable, exitCode);
        Assert.Contains("Kafka unreachable: no broker of 127.0.0.1:1 answered within 3 s", line);
        Assert.Contains("Otto:Kafka:BootstrapServers", line);
    }

    [Fact]
    public async Task Source_topics_missing_stop_the_worker()
    {
        await using var cluster = await DevCluster.StartAsync(Env, partitions: 1, applicationId: App);
        var start = Worker(cluster.BootstrapServers, cluster.RegistryUrl.ToString());
        start.ArgumentList.Add("--env");
        start.ArgumentList.Add("prod"); // the cluster has the topics of env "startup" only
        var (exitCode, line, _) = await RunUntilExit(start);
        Assert.Equal(ExitCodes.TopicsMissing, exitCode);
        Assert.Contains("do not exist on the cluster: ", line);
        Assert.Contains(new PaymentTopics("prod").PaymentAdded, line);
    }

    [Fact]
    public async Task An_unreachable_registry_stops_the_worker_at_start()
    {
        await using var cluster = await DevCluster.StartAsync(Env, partitions: 1, applicationId: App);
        var (exitCode, line, _) = await RunUntilExit(Worker(cluster.BootstrapServers, "http://127.0.0.1:1"));
        Assert.Equal(ExitCodes.RegistryUnreachable, exitCode);
        Assert.Contains("schema registry unreachable at http://127.0.0.1:1", line);
        Assert.Contains("Otto:SchemaRegistry:Url", line);
    }

    [Fact]
    public async Task A_registry_refusing_the_credentials_stops_the_worker_at_start_without_showing_them()
    {
        await using var cluster = await DevCluster.StartAsync(Env, partitions: 1, applicationId: App);
        await using var guarded = await DevSchemaRegistryServer.StartAsync(basicAuthUserInfo: "otto:right-password");
        var start = Worker(cluster.BootstrapServers, guarded.Url.ToString(), ("Otto__SchemaRegistry__BasicAuthUserInfo", "otto:wrong-password"));
        var (exitCode, line, log) = await RunUntilExit(start);
        Assert.Equal(ExitCodes.RegistryUnreachable, exitCode);
        Assert.Contains("refused Otto's credentials (401)", line);
        Assert.DoesNotContain("wrong-password", log);
    }

    [Fact]
    public async Task Subjects_missing_with_auto_registration_off_stop_the_worker_at_start_naming_them()
    {
        await using var cluster = await DevCluster.StartAsync(Env, partitions: 1, applicationId: App);
        var (exitCode, line, _) = await RunUntilExit(Worker(cluster.BootstrapServers, cluster.RegistryUrl.ToString()));
        Assert.Equal(ExitCodes.SubjectsMissing, exitCode);
        Assert.Contains($"{App}-payments-changelog-value", line);
        Assert.Contains($"{new PaymentTopics(Env).PaymentFlagged}-value", line);
        Assert.Contains("AutoRegisterSchemas is off", line);
        Assert.Contains("otto schemas register", line);
    }

    [Fact]
    public async Task A_registry_going_away_while_running_stops_the_worker_at_the_next_record_and_dead_letters_nothing()
    {
        await using var cluster = await DevCluster.StartAsync(Env, partitions: 1, applicationId: App);
        var topics = new PaymentTopics(Env);
        // The source system's record, its schema registered where the source registers it; the worker's registry below
        // is another one, which goes away before the record arrives (so the worker must fetch the writer schema).
        var source = new PaymentsSerDes(new SchemaRegistryOptions { Url = cluster.RegistryUrl.ToString() }.CreateClient(), autoRegisterSchemas: true);
        var registry = await DevSchemaRegistryServer.StartAsync();
        using var deadLetters = new TopicReader<string, byte[]>(cluster.BootstrapServers, topics.DeadLetter, new StringSerDes(), new ByteArraySerDes());
        using var worker = new WorkerProcess(Worker(cluster.BootstrapServers, registry.Url.ToString(), ("Otto__SchemaRegistry__AutoRegisterSchemas", "true")), testOutput.WriteLine);
        await Eventually.True(() => worker.Log.Contains($"stream-application[{App}] State transition from REBALANCING to RUNNING"), Wait, "the worker running");

        await registry.DisposeAsync();
        using (var producer = PaymentFacts.Producer(cluster.BootstrapServers))
        {
            producer.Produce(source, topics.PaymentAdded, "p1", PaymentFacts.Added("p1"));
            producer.Flush();
        }
        var exitCode = await worker.ExitCodeAsync(Wait);
        var lines = worker.Lines;
        Assert.Equal(ExitCodes.StreamFailed, exitCode);
        var stop = Assert.Single(Enumerable.Range(0, lines.Count), i => lines[i].Contains("The worker stops:"));
        Assert.Contains("schema registry unreachable for topic " + topics.PaymentAdded, lines[stop]);
        // One line, no stack trace (Streamiz's own error log before it has one, with the same cause).
        Assert.DoesNotContain("   at ", stop + 1 < lines.Count ? lines[stop + 1] : "");
        Assert.Empty(deadLetters.Records);
    }

    [Fact]
    public void The_subjects_demanded_at_start_are_among_those_otto_schemas_register_registers()
    {
        var registered = SubjectMap.Load(RepoPaths.Schemas, Env, App).SubjectsByFile.Values.SelectMany(s => s).ToHashSet();
        var options = new OttoOptions { Payments = { Env = Env }, Streams = { ApplicationId = App } };
        var demanded = StartupChecks.WrittenSubjects(OttoRuntime.Topology(options, new SchemaRegistryOptions().CreateClient()), App);
        Assert.Contains($"{App}-payments-changelog-value", demanded);
        Assert.Empty(demanded.Except(registered));
    }

    // `otto run` of application App in env Env, auto-registration off (the default), the one-line-failure settings.
    private static System.Diagnostics.ProcessStartInfo Worker(string bootstrap, string registryUrl, params (string Name, string Value)[] environment)
    {
        var start = OttoCommand.StartInfo("run", "--bootstrap", bootstrap, "--schema-registry", registryUrl,
            "--state-dir", Directory.CreateTempSubdirectory("otto-startup-").FullName);
        foreach (var (key, value) in DevCluster.ClientProperties) start.Environment[$"Otto__Kafka__Properties__{key}"] = value;
        start.Environment["Otto__Payments__Env"] = Env;
        start.Environment["Otto__Streams__ApplicationId"] = App;
        start.Environment["Otto__SchemaRegistry__MaxRetries"] = "1";
        start.Environment["Otto__Metrics__Enabled"] = "false";
        start.Environment["Otto__Query__Enabled"] = "false";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }

    // Runs the worker to its exit; the log must hold exactly one "cannot start" line (the one returned) and no stack trace.
    private async Task<(int ExitCode, string Line, string Log)> RunUntilExit(System.Diagnostics.ProcessStartInfo start)
    {
        using var worker = new WorkerProcess(start, testOutput.WriteLine);
        var exitCode = await worker.ExitCodeAsync(Wait);
        var line = Assert.Single(worker.Lines, l => l.Contains("The worker cannot start:"));
        Assert.DoesNotContain("   at ", worker.Log);
        Assert.DoesNotContain("Exception", worker.Log);
        return (exitCode, line, worker.Log);
    }
}
