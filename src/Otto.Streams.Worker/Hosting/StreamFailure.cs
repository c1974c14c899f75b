using Confluent.Kafka;
using Streamiz.Kafka.Net;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// Why the stream stopped. Streamiz's inner exception handler may either fail the thread or restart every task
/// and replay the record; Otto catches a record's own faults where they happen (dead letters), so whatever reaches
/// this handler is systemic (a registry failure, a bug) and fails the thread. Streamiz keeps no exception once
/// its state is ERROR, so it is kept here for the worker's one line.
/// </summary>
public sealed class StreamFailure
{
    private readonly TaskCompletionSource<Exception?> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Exception? _error;

    /// <summary>The first fatal error, if any.</summary>
    public Exception? Error => _error;

    /// <summary>Completes when the stream reaches ERROR, with the error when known.</summary>
    public Task<Exception?> Failed => _stopped.Task;

    /// <summary>For <see cref="IStreamConfig.InnerExceptionHandler"/>: a transient broker error (<see cref="IsTransient"/>)
    /// continues, which makes Streamiz close the thread's tasks and rejoin the group (they resume from their committed
    /// offsets, at least once); anything else is remembered and fails the thread.</summary>
    public ExceptionHandlerResponse Handle(Exception error)
    {
        if (IsTransient(error)) return ExceptionHandlerResponse.CONTINUE;
        Record(error);
        return ExceptionHandlerResponse.FAIL;
    }

    /// <summary>
    /// A broker error librdkafka is already retrying but also reports to the application (a fetch that timed out, a
    /// partition leader or coordinator that moved, a broker down): Streamiz 1.8 throws it out of its poll loop into this
    /// handler, where failing would stop the worker for what Kafka Streams' own clients retry silently.
    /// </summary>
    public static bool IsTransient(Exception error) =>
        error is KafkaException { Error: { IsFatal: false } e } && e.Code is ErrorCode.RequestTimedOut or ErrorCode.NotLeaderForPartition
            or ErrorCode.LeaderNotAvailable or ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupCoordinatorNotAvailable or ErrorCode.NetworkException
            or ErrorCode.BrokerNotAvailable or ErrorCode.ReplicaNotAvailable or ErrorCode.NotEnoughReplicas or ErrorCode.KafkaStorageError
            or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_TimedOut;

    /// <summary>Remembers <paramref name="error"/> unless an earlier one is known.</summary>
    public void Record(Exception error)
    {
        if (_error is null) _error = error;
    }

    /// <summary>Completes <see cref="Failed"/> when <paramref name="stream"/> reaches ERROR.</summary>
    public void Watch(KafkaStream stream) =>
        stream.StateChanged += (_, now) => { if (now == KafkaStream.State.ERROR) _stopped.TrySetResult(_error); };
}
