using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Otto.Streams.Worker.Configuration;
using Streamiz.Kafka.Net;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.Kafka;

namespace Otto.Streams.Worker.Hosting;

/// <summary>Builds the payments topology as a Streamiz <see cref="KafkaStream"/> and starts it — the one start-up
/// path shared by `run`, `demo`, the benchmarks and the tests.</summary>
public static class StreamHost
{
    /// <summary>Creates and starts the stream, with Otto's Kafka supplier (dead letters; on
    /// <paramref name="embedded"/>, the cluster in this process, Streamiz's internal topics made with the mock's call). <paramref name="status"/> follows its state from creation on;
    /// <paramref name="failure"/> records why it stopped, if it does.</summary>
    public static async Task<KafkaStream> StartAsync(OttoOptions options, ISchemaRegistryClient registry, StreamStatus status, StreamFailure failure,
        ILoggerFactory loggers, EmbeddedKafkaCluster? embedded = null, CancellationToken ct = default)
    {
        var config = OttoRuntime.StreamConfig(options, loggers);
        config.InnerExceptionHandler = failure.Handle;
        var topology = OttoRuntime.Topology(options, registry);
        var stream = new KafkaStream(topology, config, new OttoKafkaSupplier(config, embedded));
        failure.Watch(stream);
        status.Stream = stream;
        await stream.StartAsync(ct);
        return stream;
    }
}
