namespace Otto.Streams.Worker.Hosting;

/// <summary>The worker's stream as the health endpoint sees it: set by <see cref="WorkerService"/> once started.</summary>
public sealed class StreamStatus
{
    private volatile KafkaStream? _stream;

    /// <summary>The running stream, if any.</summary>
    public KafkaStream? Stream
    {
        get => _stream;
        set => _stream = value;
    }

    /// <summary>The stream's state; Created before it starts.</summary>
    public KafkaStreamState State => _stream?.State ?? KafkaStreamState.Created;

    /// <summary>Liveness: the process is doing its job or getting there; false after a fatal error or once stopped.</summary>
    public bool Live => State is not (KafkaStreamState.Error or KafkaStreamState.NotRunning);

    /// <summary>Readiness: every thread processes its partitions.</summary>
    public bool Ready => State == KafkaStreamState.Running;
}
