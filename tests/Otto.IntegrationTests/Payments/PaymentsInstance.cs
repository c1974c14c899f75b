using Microsoft.Extensions.Logging;
using Otto.IntegrationTests.Smoke;
using Otto.Payments;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;
using Otto.Streams.Worker.Hosting;
using Streamiz.Kafka.Net;

namespace Otto.IntegrationTests.Payments;

/// <summary>
/// One worker instance of the full payments topology on the dev cluster, started by <see cref="StreamHost"/> as
/// `otto run` starts it, with its own state directory, over a <see cref="KillableSupplier"/>.
/// </summary>
internal sealed class PaymentsInstance : IDisposable
{
    private readonly HostedStream _hosted;
    private readonly StreamStatus _status;

    private PaymentsInstance(HostedStream hosted, StreamStatus status, KillableSupplier clients, StreamFailure failure)
    {
        _hosted = hosted;
        _status = status;
        Clients = clients;
        Failure = failure;
    }

    public static async Task<PaymentsInstance> StartAsync(DevCluster cluster, string applicationId, PaymentsOptions payments, string name,
        RestoreCounter restores, ILoggerFactory loggers, bool killable = false)
    {
        var options = cluster.WorkerOptions(applicationId, payments, commitInterval: TimeSpan.FromMilliseconds(500));
        options.Streams.StateDir = Path.Combine(cluster.StateDir, name);
        // A killed member that stops polling is dropped from the group after 7 s (the main consumer only: the restore
        // consumer keeps librdkafka's 45 s session timeout, above 7 s).
        if (killable) options.Kafka.Properties["main.consumer.max.poll.interval.ms"] = "7000";
        var status = new StreamStatus();
        var failure = new StreamFailure();
        KillableSupplier? clients = null;
        var hosted = await StreamHost.StartAsync(options, OttoRuntime.Registry(options.SchemaRegistry), status, failure, loggers, cluster.Kafka,
            decorateClients: supplier => clients = new KillableSupplier(supplier));
        // Restoring starts once the group has assigned the tasks, well after the threads started.
        restores.Watch(hosted.Stream);
        return new PaymentsInstance(hosted, status, clients!, failure);
    }

    public KafkaStream Stream => _hosted.Stream;

    /// <summary>Why the stream stopped, if it did.</summary>
    public StreamFailure Failure { get; }

    public KillableSupplier Clients { get; }

    public KafkaStream.State State => _status.State;

    public void Dispose()
    {
        _hosted.Dispose();
        Clients.Dispose();
    }
}
