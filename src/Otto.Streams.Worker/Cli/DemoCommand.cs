using System.CommandLine;
using Otto.Streams.Worker.Demo;

namespace Otto.Streams.Worker.Cli;

/// <summary>`otto demo [--duration SECONDS] [--payments N]`.</summary>
public static class DemoCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var duration = new Option<int?>("--duration") { Description = "Stop after this many seconds (default: run until Ctrl-C)" };
        var payments = new Option<int>("--payments") { Description = "Payments to simulate", DefaultValueFactory = _ => 200 };
        var command = new Command("demo", "Run the embedded Kafka cluster, the dev schema registry, the simulated source systems and the worker in one process")
        {
            duration, payments,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var signal = new ShutdownSignal(ct);
            using var loggers = ConsoleLogging.Create();
            var settings = new DemoSettings
            {
                Payments = parse.GetValue(payments),
                Duration = parse.GetValue(duration) is { } s ? TimeSpan.FromSeconds(s) : null,
            };
            var report = await new DemoRunner(settings, Console.Out, loggers).RunAsync(signal.Token);
            return report.ExitCode;
        });
        return command;
    }
}
