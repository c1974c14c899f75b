using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;

namespace Otto.IntegrationTests.Query;

/// <summary>The read side's key (Otto:Query:ApiKey): without it, or with another, a bare 401; with it, the read side
/// answers (here 503: no stream runs). The probes and /metrics beside it stay open, and no log line holds a key.</summary>
public class ReadSideAuthenticationTests
{
    private const string Key = "k3y-for-the-read-side";
    private const string WrongKey = "n0t-the-key";

    [Fact]
    public async Task Without_the_key_the_read_side_answers_a_bare_401_and_no_log_line_holds_a_key()
    {
        var logs = new CapturedLogs();
        var (app, bindings) = await WorkerHttpHost.StartAsync(new OttoOptions { Metrics = { Port = 0 }, Query = { ApiKey = Key } }, logs);
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = bindings.Metrics!.Url };

        foreach (var path in new[] { "payments/p1", "flags?open=true" })
        {
            foreach (var key in new[] { null, WrongKey, "" })
            {
                using var refused = await Get(http, path, key is null ? null : new AuthenticationHeaderValue("Bearer", key));
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
                Assert.Equal("", await refused.Content.ReadAsStringAsync());
            }
            using var basic = await Get(http, path, new AuthenticationHeaderValue("Basic", Convert.ToBase64String("user:k3y-for-the-read-side"u8.ToArray())));
            Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
            using var accepted = await Get(http, path, new AuthenticationHeaderValue("Bearer", Key));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, accepted.StatusCode); // past the key: the worker has no stream yet
            Assert.Contains("starting", await accepted.Content.ReadAsStringAsync());
        }
        // Prometheus and the orchestrator need no key.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);

        await app.StopAsync();
        Assert.Contains(logs.Lines, l => l.Contains("OttoApiKey")); // the handler's own lines were captured
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Key) || l.Contains(WrongKey));
    }

    [Fact]
    public async Task On_loopback_without_a_key_the_read_side_is_open()
    {
        var (app, bindings) = await WorkerHttpHost.StartAsync(new OttoOptions { Metrics = { Port = 0 } });
        await using var _ = app;
        using var http = new HttpClient { BaseAddress = bindings.ReadSide!.Url };
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("flags")).StatusCode);
    }

    [Theory]
    [InlineData("0.0.0.0", null, null)]      // the read side shares the metrics listener, on every interface
    [InlineData("127.0.0.1", "0.0.0.0", 0)]  // a listener of its own, on every interface
    [InlineData("127.0.0.1", "192.0.2.7", 0)]
    public void Listening_beyond_loopback_without_a_key_is_refused_with_the_settings_to_change(string metricsHost, string? queryHost, int? queryPort)
    {
        var options = new OttoOptions { Metrics = { Host = metricsHost, Port = 0 }, Query = { Host = queryHost, Port = queryPort } };
        var refused = Assert.Throws<StartupException>(() => HttpBindings.From(options));
        Assert.Equal(Otto.Streams.Worker.Cli.ExitCodes.ReadSideUnprotected, refused.ExitCode);
        Assert.Contains("Otto:Query:ApiKey", refused.Message);
        Assert.DoesNotContain("\n", refused.Message);

        options.Query.ApiKey = Key;
        Assert.False(HttpBindings.From(options).ReadSide!.IsLoopback);
        // Loopback, or no read side at all, needs no key.
        Assert.NotNull(HttpBindings.From(new OttoOptions { Metrics = { Host = metricsHost }, Query = { Enabled = false } }).Metrics);
    }

    private static async Task<HttpResponseMessage> Get(HttpClient http, string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = authorization } };
        return await http.SendAsync(request);
    }

    /// <summary>Every log line of every category, formatted, with its exception.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
