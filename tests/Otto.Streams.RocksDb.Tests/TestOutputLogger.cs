using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>Engine logs into the test's output, so a failing cluster test shows what the engine did; the lines
/// are kept for tests that check what was logged.</summary>
internal sealed class TestOutputLogger(ITestOutputHelper output) : ILoggerProvider, ILogger
{
    private readonly List<string> _lines = [];

    public bool Logged(string fragment)
    {
        lock (_lines) return _lines.Any(l => l.Contains(fragment, StringComparison.Ordinal));
    }

    public ILogger CreateLogger(string categoryName) => this;
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}";
        lock (_lines) _lines.Add(line);
        try { output.WriteLine(line); }
        catch (InvalidOperationException) { } // the test is over; a closing thread's last words have nowhere to go
    }

    public void Dispose() { }

    public ILoggerFactory Factory() => LoggerFactory.Create(b => b.AddProvider(this));
}
