using Confluent.Kafka;

namespace Otto.Streams.TestDriver;

/// <summary>A record as a test pipes it in or reads it out.</summary>
public sealed record TestRecord<K, V>(K Key, V Value, long Timestamp, Headers Headers)
{
    /// <summary>The UTF-8 text of a header, or null when absent.</summary>
    public string? Header(string key) =>
        Headers.TryGetLastBytes(key, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;
}
