using System.Net;
using System.Text.Json.Nodes;
using Otto.Payments;
using Otto.Payments.Processing;
using Otto.Streams.Streamiz.Instances;
using Otto.Streams.Worker.Embedded;

namespace Otto.IntegrationTests.Query;

/// <summary>The probes an orchestrator polls, on a real stream of the payments topology: live unless the stream died
/// or stopped, ready only while it runs with its stores restored; served on the metrics listener only, as the read
/// side is on its own.</summary>
public class HealthProbeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private const string App = "otto-probes";

    [Fact]
    public async Task Live_and_ready_follow_the_stream_from_created_to_running_to_stopped_on_the_metrics_listener_only()
    {
        await using var cluster = await DevCluster.StartAsync("probes", partitions: 2);
        cluster.Kafka.CreateTopic(InstanceDirectory.TopicFor(App), 1);
        await using var worker = await QueryWorker.ListenAsync(cluster, App, new PaymentsOptions { Env = "probes" });

        // Created, not started: alive, not ready; /health is 200 (the process is fine) and says why it is not ready.
        Assert.Equal((HttpStatusCode.OK, "Healthy: CREATED"), await Get(worker.Probes, "health/live"));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Degraded: CREATED"), await Get(worker.Probes, "health/ready"));
        var (status, body) = await Get(worker.Probes, "health");
        Assert.Equal(HttpStatusCode.OK, status);
        var summary = JsonNode.Parse(body)!;
        Assert.Equal("Degraded", summary["status"]!.GetValue<string>());
        Assert.Equal("CREATED", summary["checks"]!["ready"]!["description"]!.GetValue<string>());

        await worker.StartAsync();
        await Eventually.True(() => Get(worker.Probes, "health/ready").GetAwaiter().GetResult() == (HttpStatusCode.OK, "Healthy: RUNNING"), Wait,
            "ready once running with its partitions restored");
        Assert.Empty(worker.Directory.Restoring(PaymentProcessor.StoreName, new PaymentTopics("probes").PaymentAdded));
        Assert.Equal(HttpStatusCode.OK, (await Get(worker.Probes, "health")).Status);

        // Each listener serves its own side: no payment data where Prometheus scrapes, no probes on the read side's port.
        foreach (var path in new[] { "payments/p1", "flags" })
            Assert.Equal(HttpStatusCode.NotFound, (await Get(worker.Probes, path)).Status);
        foreach (var path in new[] { "health/live", "health/ready", "health", "metrics" })
            Assert.Equal(HttpStatusCode.NotFound, (await Get(worker.Http, path)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Get(worker.Http, "flags")).Status);

        // Stopped: no longer live (an orchestrator restarts it), not ready, /health 503.
        worker.StopStream();
        await Eventually.True(() => Get(worker.Probes, "health/live").GetAwaiter().GetResult() == (HttpStatusCode.ServiceUnavailable, "Unhealthy: NOT_RUNNING"),
            Wait, "not live once stopped");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Degraded: NOT_RUNNING"), await Get(worker.Probes, "health/ready"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Get(worker.Probes, "health")).Status);
    }

    private static async Task<(HttpStatusCode Status, string Body)> Get(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
