using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Otto.Streams.KafkaNative;

/// <summary>
/// librdkafka's own log lines as <see cref="ILogger"/> entries of one category, <see cref="Category"/>, at the
/// level their syslog level maps to (Confluent.Kafka's mapping), with the client's name and the line's facility.
/// Every Kafka client Otto builds sets <see cref="Write(IClient, LogMessage)"/> as its log handler: a client without one has librdkafka
/// print its lines raw to stderr, outside the configured format and levels.
/// </summary>
/// <example><code>new ConsumerBuilder&lt;byte[], byte[]&gt;(config).SetLogHandler(new LibrdkafkaLog(loggers).Write).Build();</code></example>
public sealed class LibrdkafkaLog
{
    /// <summary>The category of librdkafka's lines (its level: <c>Logging:LogLevel:librdkafka</c>).</summary>
    public const string Category = "librdkafka";

    private readonly ILogger _logger;

    /// <summary>Writes to <paramref name="loggers"/>' <see cref="Category"/> logger (nowhere when null).</summary>
    public LibrdkafkaLog(ILoggerFactory? loggers) => _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger(Category);

    /// <summary>A client's log handler (any client kind: producer, consumer, admin).</summary>
    public void Write(IClient client, LogMessage message) => Write(message);

    /// <summary>Writes one of librdkafka's lines.</summary>
    public void Write(LogMessage message)
    {
        var level = (LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging);
        // Called on librdkafka's threads, often for lines nobody asked for: nothing is formatted for a disabled level.
        if (_logger.IsEnabled(level))
        {
            _logger.Log(level, "{Client} {Facility}: {Text}", message.Name, message.Facility, message.Message);
        }
    }
}
