using Microsoft.Extensions.Logging;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.Kafka;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;
using Streamiz.Kafka.Net;

namespace Otto.IntegrationTests.Smoke;

/// <summary>
/// One instance of the smoke application: a Streamiz <see cref="KafkaStream"/> configured the way the worker configures
/// its own (<see cref="OttoRuntime.StreamConfig"/>, the embedded cluster's client settings, the worker's
/// <see cref="StreamFailure"/> as inner exception handler) over Otto's Kafka supplier (which creates the store's
/// changelog on the mock), wrapped so that the test can kill its consumer.
/// </summary>
internal sealed class SmokeInstance : IDisposable
{
    private volatile KafkaStream.State _state = KafkaStream.State.CREATED;

    /// <param name="killable">Its consumer may be killed: it polls within 7 s or is dropped from the group (the others keep
    /// Streamiz's 5 minutes, so a slow restore on 2 busy cores never drops them).</param>
    public SmokeInstance(EmbeddedKafkaCluster kafka, string applicationId, string stateDir, SmokeTopology.ReplayCounter replays, RestoreCounter restores,
        ILoggerFactory loggers, TimeSpan? commitInterval = null, bool killable = false)
    {
        var options = new OttoOptions
        {
            Kafka = { BootstrapServers = kafka.BootstrapServers, Properties = new(DevCluster.ClientProperties) },
            Streams = { ApplicationId = applicationId, StateDir = stateDir, CommitInterval = commitInterval ?? TimeSpan.FromMilliseconds(200) },
        };
        // The main consumer only: the restore consumer keeps librdkafka's 45 s session timeout, above 7 s.
        if (killable) options.Kafka.Properties["main.consumer.max.poll.interval.ms"] = "7000";
        var config = OttoRuntime.StreamConfig(options, loggers);
        config.InnerExceptionHandler = Failure.Handle;
        Clients = new KillableSupplier(new OttoKafkaSupplier(config, kafka));
        Stream = new KafkaStream(SmokeTopology.Build(replays), config, Clients);
        Stream.StateChanged += (_, now) => _state = now;
        restores.Watch(Stream);
    }

    public KafkaStream Stream { get; }

    /// <summary>Why the stream stopped, if it did.</summary>
    public StreamFailure Failure { get; } = new();

    public KillableSupplier Clients { get; }

    public KafkaStream.State State => _state;

    public void Dispose()
    {
        Stream.Dispose();
        Clients.Dispose();
    }
}
