using Streamiz.Kafka.Net;

namespace Otto.Streams.Worker.Hosting;

/// <summary>The worker's stream as the health endpoint and the read side see it: set by <see cref="WorkerService"/>
/// once started. The state is tracked from Streamiz's StateChanged event.</summary>
public sealed class StreamStatus
{
    private volatile KafkaStream? _stream;
    private volatile KafkaStream.State _state = KafkaStream.State.CREATED;

    /// <summary>The stream, once created.</summary>
    public KafkaStream? Stream
    {
        get => _stream;
        set
        {
            _stream = value;
            if (value is not null) value.StateChanged += (_, now) => _state = now;
        }
    }

    /// <summary>The stream's state; CREATED before it starts.</summary>
    public KafkaStream.State State => _state;

    /// <summary>Liveness: the process is doing its job or getting there; false after a fatal error or once stopped.</summary>
    public bool Live => State != KafkaStream.State.ERROR && State != KafkaStream.State.NOT_RUNNING;

    /// <summary>Readiness: every thread processes its partitions.</summary>
    public bool Ready => State == KafkaStream.State.RUNNING;
}
