namespace Otto.Streams.Runtime;

/// <summary>Life cycle of a stream thread.</summary>
public enum StreamThreadState
{
    /// <summary>Made, not started.</summary>
    Created,
    /// <summary>Started, waiting for its first partitions.</summary>
    Starting,
    /// <summary>A rebalance is in progress.</summary>
    PartitionsRevoked,
    /// <summary>Processing the partitions it owns.</summary>
    Running,
    /// <summary>Asked to stop; finishing the record in hand, committing, closing.</summary>
    PendingShutdown,
    /// <summary>Stopped (cleanly or after a fatal error).</summary>
    Dead,
}

internal static class ThreadStates
{
    public static StateMachine<StreamThreadState> Create(string name) => new(name, StreamThreadState.Created, new Dictionary<StreamThreadState, StreamThreadState[]>
    {
        [StreamThreadState.Created] = [StreamThreadState.Starting, StreamThreadState.PendingShutdown, StreamThreadState.Dead],
        [StreamThreadState.Starting] = [StreamThreadState.Running, StreamThreadState.PartitionsRevoked, StreamThreadState.PendingShutdown, StreamThreadState.Dead],
        [StreamThreadState.PartitionsRevoked] = [StreamThreadState.Running, StreamThreadState.PendingShutdown, StreamThreadState.Dead],
        [StreamThreadState.Running] = [StreamThreadState.Running, StreamThreadState.PartitionsRevoked, StreamThreadState.PendingShutdown, StreamThreadState.Dead],
        [StreamThreadState.PendingShutdown] = [StreamThreadState.Dead],
    });
}
