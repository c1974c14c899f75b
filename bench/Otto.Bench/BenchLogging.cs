using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.Worker.Cli;

namespace Otto.Bench;

/// <summary>Streamiz's and Otto's logs during a benchmark: none by default (they would cost time and clutter the
/// figures); OTTO_BENCH_LOG=Information (or any LogLevel name) writes them to the console, to see why a run fails.</summary>
internal static class BenchLogging
{
    public static ILoggerFactory Loggers { get; } =
        Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("OTTO_BENCH_LOG"), ignoreCase: true, out var level)
            ? ConsoleLogging.Create(level)
            : NullLoggerFactory.Instance;
}
