using System.Text.RegularExpressions;
using Confluent.Kafka;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// Static group membership (KIP-345) for Streamiz's stream threads. Streamiz 1.8 has no notion of
/// <c>group.instance.id</c>: set as <c>main.consumer.group.instance.id</c> it reaches every stream thread's consumer
/// as it is, and members sharing an id fence each other. So each stream thread's consumer gets the id followed by its
/// thread index (<c>{id}-{index}</c>: the same after a restart with the same num.stream.threads), and any other
/// consumer built from the main consumer's settings, which never joins the group, gets none.
/// </summary>
internal static partial class StaticMembership
{
    // Streamiz 1.8 names a stream thread's consumer "{client id}-StreamThread-{index}-streamiz-consumer", index 0 to
    // num.stream.threads - 1 (StreamThread.Create and GetConsumerClientId). Restore and global consumers take their
    // settings without the main consumer's, so they never carry the id.
    [GeneratedRegex(@"-StreamThread-(\d+)-streamiz-consumer$", RegexOptions.CultureInvariant)]
    private static partial Regex StreamThreadConsumer();

    /// <summary>Makes the <c>group.instance.id</c> of <paramref name="config"/>, if it has one, that of the stream
    /// thread the consumer is for, or removes it when the consumer is not a stream thread's.</summary>
    public static void ForThread(ConsumerConfig config)
    {
        if (string.IsNullOrEmpty(config.GroupInstanceId))
        {
            return;
        }

        var thread = config.ClientId is { } clientId ? StreamThreadConsumer().Match(clientId) : Match.Empty;
        config.GroupInstanceId = thread.Success ? $"{config.GroupInstanceId}-{thread.Groups[1].Value}" : null;
    }
}
