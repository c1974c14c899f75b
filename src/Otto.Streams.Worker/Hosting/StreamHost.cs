using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Otto.Streams.Worker.Configuration;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;

namespace Otto.Streams.Worker.Hosting;

/// <summary>Builds the payments topology as a Streamiz <see cref="KafkaStream"/> and starts it — the one start-up
/// path shared by `run`, `demo`, the benchmarks and the tests.</summary>
public static class StreamHost
{
    /// <summary>Creates and starts the stream. <paramref name="status"/> follows its state from creation on;
    /// <paramref name="failure"/> records why it stopped, if it does.</summary>
    public static async Task<KafkaStream> StartAsync(OttoOptions options, ISchemaRegistryClient registry, StreamStatus status, StreamFailure failure,
        ILoggerFactory loggers, IKafkaSupplier? supplier = null, CancellationToken ct = default)
    {
        var config = OttoRuntime.StreamConfig(options, loggers);
        config.InnerExceptionHandler = failure.Handle;
        var topology = OttoRuntime.Topology(options, registry);
        var stream = supplier is null ? new KafkaStream(topology, config) : new KafkaStream(topology, config, supplier);
        failure.Watch(stream);
        status.Stream = stream;
        await stream.StartAsync(ct);
        return stream;
    }
}
