using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Otto.Payments;
using Otto.Streams;
using Otto.Streams.Runtime;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Embedded;

namespace Otto.IntegrationTests.Payments;

/// <summary>One worker instance of the full payments topology on the dev cluster: the worker's own configuration
/// path (<see cref="OttoRuntime"/>), its own state directory, optionally killable clients, and the tasks it runs.</summary>
internal sealed class PaymentsInstance : IDisposable
{
    private readonly ConcurrentDictionary<TaskId, TaskState> _tasks = new();

    public PaymentsInstance(DevCluster cluster, string applicationId, PaymentsOptions payments, string name, IKafkaSupplier? supplier, ILoggerFactory loggers)
    {
        var options = cluster.WorkerOptions(applicationId, payments, commitInterval: TimeSpan.FromMilliseconds(500));
        options.Streams.StateDir = Path.Combine(cluster.StateDir, name);
        // A member that stops polling (a crashed thread) is dropped from the group after 7 s.
        options.Kafka.Properties["consumer.max.poll.interval.ms"] = "7000";
        var registry = OttoRuntime.Registry(options.SchemaRegistry);
        Stream = new KafkaStream(OttoRuntime.Topology(options, registry), OttoRuntime.StreamConfig(options), supplier, loggers, topicManager: cluster.TopicManager);
        Stream.TaskStateChanged += (task, _, state) => _tasks[task] = state;
    }

    public KafkaStream Stream { get; }

    /// <summary>Tasks this instance is processing now.</summary>
    public int RunningTasks => _tasks.Values.Count(s => s == TaskState.Running);

    public void Dispose() => Stream.Dispose();
}
