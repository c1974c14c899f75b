using Otto.Streams.SerDes;
using Otto.Streams.Stream;
using Otto.Streams.Worker.Embedded;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>
/// The entry point of this assembly when run as a child process (<c>dotnet exec Otto.Streams.RocksDb.Tests.dll
/// table BOOTSTRAP STATE_DIR</c>): runs the crash test's table topology until it is killed. Under the test
/// runner the assembly is a library and this is never called.
/// </summary>
public static class CrashChild
{
    /// <summary>The application id the crash test and its child share.</summary>
    public const string App = "crash-app";

    /// <summary>Runs the table topology; prints "running" once restored, then blocks until killed.</summary>
    public static int Main(string[] args)
    {
        if (args is not ["table", var bootstrap, var stateDir]) return 2;
        using var stream = Start(bootstrap, stateDir, topicManager: null);
        while (stream.State != KafkaStreamState.Running) Thread.Sleep(20);
        Console.WriteLine("running");
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>The topology and configuration of both the child and the instance that recovers after it.</summary>
    public static KafkaStream Start(string bootstrap, string stateDir, Runtime.IInternalTopicManager? topicManager)
    {
        var strings = new StringSerDes();
        var builder = new StreamBuilder();
        builder.Table("in", Materialized<string, string>.As("kv").With(strings, strings));
        var stream = new KafkaStream(builder.Build(), new StreamConfig
        {
            ApplicationId = App,
            BootstrapServers = bootstrap,
            ClientProperties = DevCluster.ClientProperties,
            CommitInterval = TimeSpan.FromMilliseconds(200),
            StateDir = stateDir,
        }, topicManager: topicManager ?? new ExistingTopics());
        stream.Start();
        return stream;
    }

    /// <summary>The test creates every topic before the child starts.</summary>
    private sealed class ExistingTopics : Runtime.IInternalTopicManager
    {
        public IReadOnlyDictionary<string, int> GetPartitionCounts(IReadOnlyCollection<string> topics) => topics.ToDictionary(t => t, _ => 1);
        public void CreateTopics(IReadOnlyDictionary<string, int> topics, IReadOnlyDictionary<string, string> configs) { }
    }
}
