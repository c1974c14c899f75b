using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Otto.Payments;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.CatchUp;
using Otto.Streams.Streamiz.CoPartitioning;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.ExactlyOnce;
using Otto.Streams.Streamiz.Instances;
using Otto.Streams.Streamiz.Kafka;
using Otto.Streams.Streamiz.Metrics;
using Otto.Streams.Streamiz.State;
using Otto.Streams.Worker.Configuration;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// Builds the payments topology as a Streamiz <see cref="KafkaStream"/> and starts it — the one start-up path shared
/// by `run`, `demo`, the benchmarks and the tests. What Otto adds around Streamiz happens here: its Kafka supplier
/// (dead letters with the original bytes; on an embedded cluster in this process, Streamiz's internal topics created
/// with the mock's own call), the dead-letter handlers, the co-partitioning check before start, the exactly-once
/// state guard, and Streamiz's sensors on Otto's meters.
/// </summary>
public static class StreamHost
{
    /// <summary>Creates and starts the stream. <paramref name="status"/> follows its state from creation on;
    /// <paramref name="failure"/> records why it stopped, if it does. Throws <see cref="StartupException"/> when a
    /// <see cref="StartupChecks"/> check fails (Kafka, topics, registry, subjects), and throws when the state directory is
    /// another worker's. <paramref name="ct"/> cancels the start only: the stream stops when the result is disposed.</summary>
    /// <param name="embedded">The embedded cluster when it runs in this process (demo, tests, benchmarks).</param>
    /// <param name="directory">The read side's instance directory, not started (the caller disposes it): it learns
    /// which partitions the stream holds and restores, and starts with it.</param>
    /// <param name="decorateClients">Wraps Otto's Kafka supplier before the stream gets it (tests that kill a worker's
    /// consumers in-process).</param>
    public static async Task<HostedStream> StartAsync(OttoOptions options, ISchemaRegistryClient registry, StreamStatus status, StreamFailure failure,
        ILoggerFactory loggers, EmbeddedKafkaCluster? embedded = null, CancellationToken ct = default, InstanceDirectory? directory = null,
        Func<IKafkaSupplier, IKafkaSupplier>? decorateClients = null)
    {
        var config = OttoRuntime.StreamConfig(options, loggers);
        var supplier = new OttoKafkaSupplier(config, embedded);
        var deadLetters = new DeadLetterQueue(supplier, new PaymentTopics(options.Payments.Env).DeadLetter,
            options.Streams.ProductionErrors ?? (config.Guarantee == ProcessingGuarantee.EXACTLY_ONCE ? ProductionErrorHandling.Fail : ProductionErrorHandling.Retry),
            loggers);
        var catchUp = new TakeoverCatchUp(new KafkaBacklogProbe(config), loggers);
        config.DeserializationExceptionHandler = (context, record, error) =>
        {
            var response = deadLetters.HandleDeserializationError(context, record, error);
            // On FAIL Streamiz stops the thread without calling the inner exception handler: keep the cause (a registry
            // failure) for the worker's one line.
            if (response == ExceptionHandlerResponse.FAIL) failure.Record(error);
            // A dead-lettered record never reaches the payment processor: it still counts as read for the catch-up.
            else catchUp.Skipped(context.Id.ToString(), record.Topic, record.Partition.Value, record.Offset.Value);
            return response;
        };
        config.ProductionExceptionHandler = deadLetters.HandleProductionError;
        config.InnerExceptionHandler = failure.Handle;
        var topology = OttoRuntime.Topology(options, registry, deadLetters, catchUp);
        // What this builds is released if anything below fails, a start-up check or a state directory already taken included.
        StateDirectoryLock? stateLock = null;
        StreamizMeterBridge? metrics = null;
        try
        {
            using (var admin = supplier.GetAdmin(config.ToAdminConfig($"{config.ApplicationId}-startup-check")))
                StartupChecks.Kafka(topology, admin, options.Kafka);
            await StartupChecks.RegistryAsync(topology, registry, options);
            ct.ThrowIfCancellationRequested();

            stateLock = StateDirectoryLock.Acquire(config);
            metrics = new StreamizMeterBridge();
            config.MetricsReporter = metrics.Report;
            var guard = new ExactlyOnceStateGuard(config, loggers.CreateLogger<ExactlyOnceStateGuard>());
            guard.PrepareForStart();
            var clients = decorateClients?.Invoke(supplier) ?? supplier;
            var stream = new KafkaStream(topology, config, directory?.Track(clients) ?? clients);
            guard.Watch(stream);
            catchUp.Watch(stream);
            failure.Watch(stream);
            status.Stream = stream;
            directory?.Start(stream);
            // Not Streamiz's StartAsync(token): it disposes the stream when the token is cancelled, concurrently with the
            // owner's own Dispose of the HostedStream (on SIGTERM the two raced: ObjectDisposedException, or a hang).
            await stream.StartAsync();
            return new HostedStream(stream, supplier, guard, metrics, stateLock);
        }
        catch
        {
            metrics?.Dispose();
            stateLock?.Dispose();
            supplier.Dispose();
            throw;
        }
    }
}

/// <summary>A started stream. Disposing it closes the stream (each thread commits and closes its tasks), marks the
/// state directory cleanly closed for the exactly-once guard, disposes the supplier's own producer, drops the stream's Streamiz metrics and lets another
/// process have the state directory.</summary>
public sealed class HostedStream(KafkaStream stream, OttoKafkaSupplier supplier, ExactlyOnceStateGuard guard, StreamizMeterBridge metrics, StateDirectoryLock stateLock) : IDisposable
{
    /// <summary>The Streamiz stream, for its stores.</summary>
    public KafkaStream Stream { get; } = stream;

    /// <inheritdoc />
    public void Dispose()
    {
        Stream.Dispose();
        supplier.Dispose();
        guard.MarkCleanShutdown();
        metrics.Dispose();
        stateLock.Dispose();
    }
}
