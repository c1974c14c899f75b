using Otto.Streams.Runtime;

namespace Otto.Streams;

/// <summary>Life cycle of a <see cref="KafkaStream"/>, as Kafka Streams' KafkaStreams.State.</summary>
public enum KafkaStreamState
{
    /// <summary>Made, not started.</summary>
    Created,
    /// <summary>Started; threads are getting (or changing) partitions.</summary>
    Rebalancing,
    /// <summary>Every thread processes its partitions.</summary>
    Running,
    /// <summary>Closing.</summary>
    PendingShutdown,
    /// <summary>Closed cleanly.</summary>
    NotRunning,
    /// <summary>A thread died of a fatal error; close the stream.</summary>
    Error,
}

internal static class KafkaStreamStates
{
    public static StateMachine<KafkaStreamState> Create() => new("stream", KafkaStreamState.Created, new Dictionary<KafkaStreamState, KafkaStreamState[]>
    {
        [KafkaStreamState.Created] = [KafkaStreamState.Rebalancing, KafkaStreamState.PendingShutdown, KafkaStreamState.Error],
        [KafkaStreamState.Rebalancing] = [KafkaStreamState.Running, KafkaStreamState.PendingShutdown, KafkaStreamState.Error],
        [KafkaStreamState.Running] = [KafkaStreamState.Rebalancing, KafkaStreamState.PendingShutdown, KafkaStreamState.Error],
        [KafkaStreamState.Error] = [KafkaStreamState.PendingShutdown],
        [KafkaStreamState.PendingShutdown] = [KafkaStreamState.NotRunning],
    });
}
