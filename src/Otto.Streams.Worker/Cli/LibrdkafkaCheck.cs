using Otto.Streams.KafkaNative;

namespace Otto.Streams.Worker.Cli;

/// <summary>The start-up check of the verbs that talk to Kafka: which librdkafka is loaded, and refusing any but
/// the shipped one (Confluent.Kafka would otherwise run on whatever it found and crash at the first consume).</summary>
public static class LibrdkafkaCheck
{
    /// <summary>The verbs that build Kafka clients or run the embedded cluster.</summary>
    public static readonly IReadOnlySet<string> KafkaVerbs = new HashSet<string> { "run", "demo", "dev-cluster", "simulate", "topics" };

    /// <summary>Loads librdkafka and writes which one to <paramref name="log"/>; returns false (after one line saying
    /// why) when it is not the shipped version.</summary>
    public static bool Verify(TextWriter log)
    {
        LibrdkafkaLoader.EnsureLoaded();
        string? loaded;
        try
        {
            loaded = Confluent.Kafka.Library.VersionString;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            log.WriteLine($"otto: error: librdkafka could not be loaded: {e.Message}");
            return false;
        }
        if (LibrdkafkaLoader.VersionProblem(loaded) is { } problem)
        {
            log.WriteLine($"otto: error: {problem}");
            return false;
        }
        log.WriteLine($"otto: librdkafka {loaded} ({LibrdkafkaLoader.LibraryPath ?? "found by Confluent.Kafka"})");
        return true;
    }
}
