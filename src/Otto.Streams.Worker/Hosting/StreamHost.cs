using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Otto.Streams.Runtime;
using Otto.Streams.Worker.Configuration;

namespace Otto.Streams.Worker.Hosting;

/// <summary>Starts the payments topology as a <see cref="KafkaStream"/> and waits until it is running —
/// the one start-up path shared by `run`, `demo` and the tests.</summary>
public static class StreamHost
{
    /// <summary>Builds and starts the stream; throws if it fails before running.</summary>
    public static KafkaStream Start(OttoOptions options, ISchemaRegistryClient registry, ILoggerFactory loggers,
        IInternalTopicManager? topicManager = null, TimeProvider? time = null)
    {
        var stream = new KafkaStream(OttoRuntime.Topology(options, registry), OttoRuntime.StreamConfig(options), loggers: loggers,
            time: time, topicManager: topicManager);
        stream.Start();
        return stream;
    }
}
