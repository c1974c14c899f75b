using System.Diagnostics;
using Confluent.Kafka;
using Otto.Streams.Worker.Embedded;
using Xunit.Abstractions;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>
/// A worker killed (SIGKILL) while it writes its RocksDB store: the next instance on the same state directory
/// opens the store, replays the changelog from the last checkpoint and goes on; once it has caught up, the
/// store on disk equals the changelog (latest value per key).
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const string Changelog = CrashChild.App + "-kv-changelog";
    private const int Keys = 500;

    [Fact]
    public async Task A_worker_killed_during_writes_leaves_a_store_that_recovers_to_match_the_changelog()
    {
        await using var cluster = await DevCluster.StartAsync("crash", 1);
        cluster.Kafka.CreateTopic("in", 1);
        cluster.Kafka.CreateTopic(Changelog, 1);
        using var state = new TempDirectory();
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 1 }).Build();
        var sent = 0;
        void Send(int count)
        {
            for (var end = sent + count; sent < end; sent++)
                producer.Produce("in", new Message<string, string> { Key = $"k{sent % Keys}", Value = $"v{sent}" });
            producer.Flush();
        }

        using (var child = StartChild(cluster.BootstrapServers, state.Path))
        {
            try
            {
                // Keep input coming while the child processes it, and kill it in the middle of that.
                while (ClusterChecks.ChangelogEnd(cluster, Changelog) < 3_000)
                {
                    Assert.False(child.HasExited, "the child died on its own");
                    Send(200);
                    await Task.Delay(20);
                }
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
            }
            finally
            {
                if (!child.HasExited) child.Kill(entireProcessTree: true);
            }
        }
        var atKill = ClusterChecks.ChangelogEnd(cluster, Changelog);
        Send(2_000);
        output.WriteLine($"killed at changelog end {atKill}; {sent} records sent");

        using (var recovered = CrashChild.Start(cluster.BootstrapServers, state.Path, cluster.TopicManager))
        {
            await ClusterChecks.Until(() => Committed(cluster) == sent, "the recovered instance to commit all input");
            Assert.True(recovered.Close());
            Assert.Null(recovered.FatalError);
        }
        ClusterChecks.AssertStoreEqualsChangelog(cluster, Path.Combine(state.Path, CrashChild.App, "0_0"), Changelog);
    }

    private Process StartChild(string bootstrap, string stateDir)
    {
        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "exec", typeof(CrashChild).Assembly.Location, "table", bootstrap, stateDir }) info.ArgumentList.Add(arg);
        var child = Process.Start(info)!;
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine($"child: {e.Data}"); };
        child.BeginErrorReadLine();
        var line = child.StandardOutput.ReadLine();
        Assert.Equal("running", line);
        return child;
    }

    private static long Committed(DevCluster cluster)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = CrashChild.App }).Build();
        var offset = consumer.Committed([new TopicPartition("in", 0)], TimeSpan.FromSeconds(10)).Single().Offset;
        return offset.Value < 0 ? 0 : offset.Value;
    }
}
