using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>Engine logs into the test's output, so a failing cluster test shows what the engine did.</summary>
internal sealed class TestOutputLogger(ITestOutputHelper output) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try { output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}"); }
        catch (InvalidOperationException) { } // the test is over; a closing thread's last words have nowhere to go
    }

    public void Dispose() { }

    public ILoggerFactory Factory() => LoggerFactory.Create(b => b.AddProvider(this));
}
