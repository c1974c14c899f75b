using Otto.DevSchemaRegistry;

namespace Otto.Streams.Avro.Tests;

/// <summary>One dev registry server per test class.</summary>
public sealed class DevRegistryFixture : IAsyncLifetime
{
    public DevSchemaRegistryServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await DevSchemaRegistryServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Records the requests a client sends, then passes them on.</summary>
internal sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public List<HttpRequestMessage> Requests { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests) Requests.Add(request);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Answers from a script of responses or exceptions, one per request.</summary>
internal sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] script) : HttpMessageHandler
{
    public List<Uri> Urls { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Urls.Add(request.RequestUri!);
        return Task.FromResult(script[Math.Min(Urls.Count - 1, script.Length - 1)](request));
    }
}

/// <summary>A clock whose timers fire at once (on the thread pool) and remember how long they were asked to wait,
/// so retry backoff is tested without sleeping.</summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    public List<TimeSpan> Delays { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (Delays) Delays.Add(dueTime);
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
