using System.CommandLine;
using Otto.Streams.KafkaNative;
using Otto.Streams.Worker.Cli;

// The `otto` program: every verb of the entry script except test, bench, schemas and avro (src/Otto.Schemas.Cli).
// Bind Confluent.Kafka to the shipped librdkafka before anything can touch it, and refuse to run a Kafka verb on
// any other (stderr, so verbs whose stdout is data stay clean).
LibrdkafkaLoader.EnsureLoaded();
if (args.Length > 0 && LibrdkafkaCheck.KafkaVerbs.Contains(args[0]) && !LibrdkafkaCheck.Verify(Console.Error))
{
    return 4;
}

var root = new RootCommand("Otto.Streams: payments-integrity stream processor")
{
    DemoCommand.Create(),
    DevClusterCommand.Create(),
    RunCommand.Create(),
    SimulateCommand.Create(),
    DescribeCommand.Create(),
    TopicsCommand.Create(),
};
// Signals are ours: each verb shuts down in order (the host's lifetime for `run`, ShutdownSignal for the
// others) rather than System.CommandLine's default of cancelling and then killing after a grace period.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
