using Microsoft.Extensions.Logging;
using Otto.IntegrationTests.Smoke;
using Otto.Payments;
using Otto.Streams.Streamiz.CatchUp;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.Kafka;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;
using Streamiz.Kafka.Net;

namespace Otto.IntegrationTests.Payments;

/// <summary>
/// One worker instance of the full payments topology on the dev cluster, assembled as <c>StreamHost.StartAsync</c>
/// assembles the worker's (Otto's configuration, Kafka supplier, dead-letter handlers, takeover catch-up and topology) but over a
/// <see cref="KillableSupplier"/>, with its own state directory.
/// </summary>
internal sealed class PaymentsInstance : IDisposable
{
    private volatile KafkaStream.State _state = KafkaStream.State.CREATED;

    public PaymentsInstance(DevCluster cluster, string applicationId, PaymentsOptions payments, string name, RestoreCounter restores, ILoggerFactory loggers,
        bool killable = false)
    {
        var options = cluster.WorkerOptions(applicationId, payments, commitInterval: TimeSpan.FromMilliseconds(500));
        options.Streams.StateDir = Path.Combine(cluster.StateDir, name);
        // A killed member that stops polling is dropped from the group after 7 s (the main consumer only: the restore
        // consumer keeps librdkafka's 45 s session timeout, above 7 s).
        if (killable) options.Kafka.Properties["main.consumer.max.poll.interval.ms"] = "7000";
        var config = OttoRuntime.StreamConfig(options, loggers);
        var supplier = new OttoKafkaSupplier(config, cluster.Kafka);
        var deadLetters = new DeadLetterQueue(supplier, new PaymentTopics(payments.Env).DeadLetter, ProductionErrorHandling.Retry, loggers);
        config.DeserializationExceptionHandler = deadLetters.HandleDeserializationError;
        config.ProductionExceptionHandler = deadLetters.HandleProductionError;
        config.InnerExceptionHandler = Failure.Handle;
        Clients = new KillableSupplier(supplier);
        var catchUp = new TakeoverCatchUp(new KafkaBacklogProbe(config), loggers);
        Stream = new KafkaStream(OttoRuntime.Topology(options, OttoRuntime.Registry(options.SchemaRegistry), deadLetters, catchUp), config, Clients);
        catchUp.Watch(Stream);
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
