using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Otto.Streams.KafkaNative;

namespace Otto.Streams.EmbeddedKafka.Tests;

/// <summary>The mock cluster's own librdkafka lines go to the logger it is given (category librdkafka), not raw to
/// stderr.</summary>
public sealed class ClusterLogTests
{
    [Fact]
    public async Task The_mock_brokers_errors_are_logged_as_librdkafka_lines()
    {
        var log = new CapturingLoggers();
        using var cluster = EmbeddedKafkaCluster.Start(loggers: log);

        // A request the mock cannot parse (CreateTopics v0 without its body): the mock broker logs a protocol error.
        var bootstrap = cluster.BootstrapServers.Split(':');
        using var client = new TcpClient();
        await client.ConnectAsync(bootstrap[0], int.Parse(bootstrap[1], System.Globalization.CultureInfo.InvariantCulture));
        var request = new byte[4 + 2 + 2 + 4 + 2];
        BinaryPrimitives.WriteInt32BigEndian(request, request.Length - 4);
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(4), 19); // ApiKey: CreateTopics
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(6), 0); // ApiVersion
        BinaryPrimitives.WriteInt32BigEndian(request.AsSpan(8), 1); // CorrelationId
        BinaryPrimitives.WriteInt16BigEndian(request.AsSpan(12), -1); // ClientId: null
        await client.GetStream().WriteAsync(request);

        var line = await Eventually.Get(() => log.Lines.FirstOrDefault(l => l.Text.Contains("CreateTopics v0", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the mock broker's protocol error");
        Assert.Equal(LibrdkafkaLog.Category, line.Category);
        Assert.True(line.Level >= LogLevel.Error, $"{line.Level}: {line.Text}");
        Assert.StartsWith("otto-embedded-kafka#producer-", line.Text, StringComparison.Ordinal); // the owner handle's name
    }

    private sealed record Line(string Category, LogLevel Level, string Text);

    private sealed class CapturingLoggers : ILoggerFactory
    {
        public ConcurrentQueue<Line> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose() { }

        private sealed class Logger(CapturingLoggers owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue(new Line(category, logLevel, formatter(state, exception)));
        }
    }
}
