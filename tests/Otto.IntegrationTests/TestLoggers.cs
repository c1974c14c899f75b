using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Otto.IntegrationTests;

/// <summary>
/// The logger factory every test gives Otto and Streamiz: warnings and errors, written to the output of the test
/// running now (tests run one at a time, xunit.runner.json). One factory for the whole run, never disposed: Streamiz
/// keeps the factory of the last <c>KafkaStream</c> created in a static (<c>Streamiz.Kafka.Net.Crosscutting.Logger</c>)
/// and every <c>StreamConfig</c> constructed later asks it for a logger, so a factory a finished test disposed makes
/// the next test's <c>StreamConfig</c> throw ObjectDisposedException.
/// </summary>
internal static class TestLoggers
{
    private static readonly CurrentTestOutput Router = new();
    private static readonly ILoggerFactory Factory = LoggerFactory.Create(b => b.AddProvider(Router).SetMinimumLevel(LogLevel.Warning));

    /// <summary>The shared factory, writing to <paramref name="output"/> from now on. Do not dispose it.</summary>
    public static ILoggerFactory For(ITestOutputHelper output)
    {
        Router.Output = output;
        return Factory;
    }

    private sealed class CurrentTestOutput : ILoggerProvider
    {
        public volatile ITestOutputHelper? Output;

        public ILogger CreateLogger(string categoryName) => new RoutedLogger(this, categoryName);

        public void Dispose() { }

        private sealed class RoutedLogger(CurrentTestOutput router, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                // A test that has finished refuses output; its clients may still log while they close.
                try { router.Output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception?.Message}"); }
                catch (InvalidOperationException) { }
            }
        }
    }
}
