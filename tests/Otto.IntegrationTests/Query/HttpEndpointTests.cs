using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.Worker.Hosting;

namespace Otto.IntegrationTests.Query;

/// <summary>The worker's HTTP listener: requests answered concurrently, a failing handler answered with a JSON 500.</summary>
public class HttpEndpointTests
{
    [Fact]
    public async Task A_slow_request_does_not_hold_up_the_next_and_a_failing_handler_gives_a_json_500()
    {
        var release = new TaskCompletionSource();
        var router = new HttpRouter()
            .Map("GET", "/slow", async (_, _) =>
            {
                await release.Task;
                return HttpReply.Text(200, "slow");
            })
            .MapGet("/fast", _ => HttpReply.Text(200, "fast"))
            .MapGet("/boom", _ => throw new InvalidOperationException("boom"));
        var port = QueryWorker.FreePort();
        using var endpoint = new HttpEndpoint("127.0.0.1", port, router, NullLogger.Instance);
        using var http = new HttpClient { BaseAddress = endpoint.Url, Timeout = TimeSpan.FromSeconds(10) };

        var slow = http.GetStringAsync("slow");
        // Answered while /slow still waits (an instance forwarding to another that forwards back must not deadlock).
        Assert.Equal("fast", await http.GetStringAsync("fast"));
        release.SetResult();
        Assert.Equal("slow", await slow);

        var failed = await http.GetAsync("boom");
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Contains("internal error: boom", await failed.Content.ReadAsStringAsync());
    }
}
