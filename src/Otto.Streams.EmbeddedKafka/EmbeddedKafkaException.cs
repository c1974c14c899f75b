using Confluent.Kafka;

namespace Otto.Streams.EmbeddedKafka;

/// <summary>A librdkafka call on the embedded cluster failed. The message carries librdkafka's own error text.</summary>
public sealed class EmbeddedKafkaException : Exception
{
    /// <summary>Creates an exception for a failure that has no librdkafka error code.</summary>
    public EmbeddedKafkaException(string message) : base(message)
    {
        Code = ErrorCode.Unknown;
    }

    /// <summary>Creates an exception for a librdkafka error code.</summary>
    public EmbeddedKafkaException(string message, ErrorCode code) : base(message)
    {
        Code = code;
    }

    /// <summary>The librdkafka error code (same numbering as Confluent.Kafka's <see cref="ErrorCode"/>).</summary>
    public ErrorCode Code { get; }
}
