namespace Otto.Streams.EmbeddedKafka.Tests;

[CollectionDefinition(nameof(LeakTests), DisableParallelization = true)]
public sealed class LeakTestsCollection;

/// <summary>Runs alone so no other test's sockets or threads blur the count.</summary>
[Collection(nameof(LeakTests))]
public sealed class LeakTests
{
    [Fact]
    public void Starting_and_disposing_clusters_leaves_no_file_descriptors_or_threads_behind()
    {
        Cycle(brokers: 2); // warm-up: loads librdkafka and lets the runtime open what it keeps
        var fdsBefore = OpenFileDescriptors();

        for (var i = 0; i < 4; i++)
        {
            Cycle(brokers: 3);
        }

        Assert.True(OpenFileDescriptors() <= fdsBefore, $"open file descriptors grew from {fdsBefore} to {OpenFileDescriptors()}");
        // Every broker has a listener and each librdkafka instance its own threads; none may survive.
        Eventually.Blocking(() => NativeThreadNames().All(n => !n.StartsWith("rdk:", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(5), "librdkafka threads to exit");
    }

    private static void Cycle(int brokers)
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers);
        cluster.CreateTopic("leak-check", 2);
        Assert.Contains(NativeThreadNames(), n => n.StartsWith("rdk:", StringComparison.Ordinal));
    }

    private static int OpenFileDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    private static IEnumerable<string> NativeThreadNames() =>
        Directory.GetDirectories("/proc/self/task")
            .Select(task => File.Exists(Path.Combine(task, "comm")) ? File.ReadAllText(Path.Combine(task, "comm")).Trim() : "");
}
