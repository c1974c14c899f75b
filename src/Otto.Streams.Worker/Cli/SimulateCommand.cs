using System.CommandLine;
using Microsoft.Extensions.Logging;
using Otto.Payments;
using Otto.Simulator;
using Otto.Streams.SchemaRegistry;

namespace Otto.Streams.Worker.Cli;

/// <summary>`otto simulate`: the source systems alone (reference data; CPR, WSO2, Recon and Limits facts with injected
/// anomalies; WSO2 answering GetTrnRq; fixes answered), then a per-rule comparison of Otto's flags with the ground truth.</summary>
public static class SimulateCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka bootstrap servers", Required = true };
        var registry = new Option<string>("--schema-registry") { Description = "Schema Registry URL", Required = true };
        var payments = new Option<int>("--payments") { Description = "Payments to publish", DefaultValueFactory = _ => 200 };
        var env = new Option<string>("--env") { Description = "Environment in topic names", DefaultValueFactory = _ => "qa" };
        var settle = new Option<int>("--settle-timeout") { Description = "Seconds to wait for Otto's flags after the last fact", DefaultValueFactory = _ => 120 };
        var command = new Command("simulate", "Run the simulated source systems against a running Otto") { bootstrap, registry, payments, env, settle };
        command.SetAction(async (parse, ct) =>
        {
            using var signal = new ShutdownSignal(ct);
            using var loggers = ConsoleLogging.Create(LogLevel.Information);
            var client = Otto.Schemas.Registry.SchemaRegistryOptions.FromEnvironment(parse.GetValue(registry)!).CreateClient();
            try
            {
                await using var simulation = new Simulation(parse.GetValue(bootstrap)!, client, new PaymentTopics(parse.GetValue(env)!),
                    new SimulatorOptions { Payments = parse.GetValue(payments) }, loggers);
                await simulation.StartAsync(signal.Token);
                SimulationReport report;
                try
                {
                    report = await simulation.WaitForFlagsToSettleAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(parse.GetValue(settle)), signal.Token);
                }
                catch (OperationCanceledException)
                {
                    report = simulation.Report();
                }
                Console.WriteLine(report.ToTable());
                Console.WriteLine(report.ToString());
                return report.ExitCode;
            }
            catch (RegistryFailureException e)
            {
                // The registry's fault, not the run's (unreachable, credentials refused): one line, as `otto run` says it.
                Console.Error.WriteLine($"otto simulate: {e.Message}");
                return ExitCodes.RegistryUnreachable;
            }
        });
        return command;
    }
}
