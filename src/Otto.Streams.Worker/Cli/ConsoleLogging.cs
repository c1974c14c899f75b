using Microsoft.Extensions.Logging;

namespace Otto.Streams.Worker.Cli;

/// <summary>Console logging for the interactive verbs: warnings by default, so progress lines stay readable.</summary>
public static class ConsoleLogging
{
    /// <summary>A console logger factory at <paramref name="level"/>.</summary>
    public static ILoggerFactory Create(LogLevel level = LogLevel.Warning) =>
        LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }).SetMinimumLevel(level));
}
