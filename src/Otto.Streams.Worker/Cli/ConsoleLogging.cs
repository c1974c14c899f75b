using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Otto.Streams.Worker.Cli;

/// <summary>
/// Otto's console logs, alike in every verb: .NET's standard <c>Logging</c> section (levels per category,
/// <c>Logging:Console:FormatterName</c> simple, json or systemd, <c>Logging:Console:FormatterOptions</c>), which
/// `otto run`'s host reads from appsettings.json and then the environment and the other verbs from the environment
/// (<see cref="Create"/>), with Otto's defaults where it says nothing (<see cref="AddOttoDefaults"/>).
/// </summary>
public static class ConsoleLogging
{
    /// <summary>Otto's timestamp: UTC, ISO 8601 to the millisecond, so lines from several hosts sort and compare.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private const string FormatterOptions = "Logging:Console:FormatterOptions";

    /// <summary>
    /// Otto's defaults for the built-in console formatters, each applied only where configuration does not set it:
    /// simple and json lines carry <see cref="TimestampFormat"/> (the formatters' own default is none), and simple
    /// writes one line per entry (its default puts the message on a second line, which grep and log shippers cut
    /// apart; an exception's stack trace then stays on its entry's line too). systemd keeps no timestamp: journald
    /// stamps every line itself.
    /// </summary>
    public static ILoggingBuilder AddOttoDefaults(this ILoggingBuilder logging, IConfiguration configuration)
    {
        var set = configuration.GetSection(FormatterOptions);
        // Without a formatter name the console logger formats with its obsolete options instead of the formatter's.
        logging.Services.PostConfigure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Simple);
        // PostConfigure: after the configuration is bound (and again on reload), whatever the registration order.
        logging.Services.PostConfigure<SimpleConsoleFormatterOptions>(o =>
        {
            Default(o, set, TimestampFormat + " "); // simple writes the level right after the timestamp
            if (set["SingleLine"] is null) o.SingleLine = true;
        });
        logging.Services.PostConfigure<JsonConsoleFormatterOptions>(o => Default(o, set, TimestampFormat));
        return logging;
    }

    /// <summary>
    /// The logger factory of a verb that runs no host (demo, simulate, dev-cluster, the benchmarks): the <c>Logging</c>
    /// section from the environment as `otto run` reads it (<c>Logging__Console__FormatterName</c>, levels per category,
    /// ...), <paramref name="level"/> by default. Not appsettings.json: its levels are the deployed worker's (Streamiz's
    /// state lines at Information), which would crowd the progress lines these verbs print.
    /// </summary>
    public static ILoggerFactory Create(LogLevel level = LogLevel.Warning)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([new("Logging:LogLevel:Default", level.ToString())])
            .AddEnvironmentVariables()
            .Build();
        return LoggerFactory.Create(b => b.AddConfiguration(configuration.GetSection("Logging")).AddConsole().AddOttoDefaults(configuration));
    }

    private static void Default(ConsoleFormatterOptions options, IConfiguration set, string timestampFormat)
    {
        if (set["TimestampFormat"] is null) options.TimestampFormat = timestampFormat;
        if (set["UseUtcTimestamp"] is null) options.UseUtcTimestamp = true;
    }
}
