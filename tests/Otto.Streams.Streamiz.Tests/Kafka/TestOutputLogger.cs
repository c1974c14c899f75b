using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Otto.Streams.Streamiz.Tests.Kafka;

/// <summary>Streamiz's and Otto's logs in the test's output (warnings and up by default), and the lines logged, for
/// tests that check what was logged.</summary>
internal sealed class TestOutputLogger(ITestOutputHelper output, LogLevel minimum = LogLevel.Warning) : ILoggerFactory, ILoggerProvider
{
    private readonly LogLevel _minimum = minimum;
    private readonly List<(LogLevel Level, string Category, string Message)> _lines = [];

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        lock (_lines)
        {
            _lines.Add((level, category, message));
        }

        try
        {
            output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {level} {category}: {message}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // Streamiz's threads may still log after the test ended.
        }
    }

    private sealed class Logger(TestOutputLogger owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
