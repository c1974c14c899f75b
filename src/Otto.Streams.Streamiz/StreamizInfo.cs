namespace Otto.Streams.Streamiz;

/// <summary>The Streamiz.Kafka.Net version this layer is built and tested against.</summary>
public static class StreamizInfo
{
    /// <summary>The version of the Streamiz.Kafka.Net assembly loaded.</summary>
    public static string Version => typeof(global::Streamiz.Kafka.Net.KafkaStream).Assembly.GetName().Version?.ToString() ?? "unknown";
}
