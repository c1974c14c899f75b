using System.CommandLine;
using Otto.Payments.Docs;
using Otto.Streams.Worker.Embedded;

namespace Otto.Streams.Worker.Cli;

/// <summary>`otto dev-cluster`: the embedded cluster and dev registry alone, for other processes and kcat.</summary>
public static class DevClusterCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var env = new Option<string>("--env") { Description = "Environment in topic names", DefaultValueFactory = _ => "qa" };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of each Otto topic", DefaultValueFactory = _ => TopologyDocs.DevClusterPartitions };
        var registryPort = new Option<int>("--registry-port") { Description = "Schema registry port (0: any free port)", DefaultValueFactory = _ => 0 };
        var applicationId = new Option<string>("--application-id") { Description = "Create the changelog topics of an `otto run` with this id", DefaultValueFactory = _ => "otto" };
        var command = new Command("dev-cluster", "Run only the embedded Kafka cluster and the dev schema registry, until SIGINT/SIGTERM")
        {
            env, partitions, registryPort, applicationId,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var signal = new ShutdownSignal(ct);
            using var loggers = ConsoleLogging.Create();
            await using var cluster = await DevCluster.StartAsync(parse.GetValue(env)!, parse.GetValue(partitions), parse.GetValue(registryPort),
                parse.GetValue(applicationId), signal.Token, loggers);
            Console.WriteLine($"bootstrap: {cluster.BootstrapServers}");
            Console.WriteLine($"schema-registry: {cluster.RegistryUrl.ToString().TrimEnd('/')}");
            Console.Out.Flush();
            await Task.Delay(Timeout.Infinite, signal.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            Console.WriteLine("dev-cluster: stopped");
            return 0;
        });
        return command;
    }
}
