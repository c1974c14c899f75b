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

    /// <summary>For <see cref="IStreamConfig.InnerExceptionHandler"/>: remembers the error and fails the thread.</summary>
    public ExceptionHandlerResponse Handle(Exception error)
    {
        Record(error);
        return ExceptionHandlerResponse.FAIL;
    }

    /// <summary>Remembers <paramref name="error"/> unless an earlier one is known.</summary>
    public void Record(Exception error)
    {
        if (_error is null) _error = error;
    }

    /// <summary>Completes <see cref="Failed"/> when <paramref name="stream"/> reaches ERROR.</summary>
    public void Watch(KafkaStream stream) =>
        stream.StateChanged += (_, now) => { if (now == KafkaStream.State.ERROR) _stopped.TrySetResult(_error); };
}
