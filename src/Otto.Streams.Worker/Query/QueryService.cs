using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;

namespace Otto.Streams.Worker.Query;

/// <summary>Serves the read side on a listener of its own when <c>Otto:Query:Port</c> names another port than the
/// metrics endpoint's; otherwise <see cref="MetricsService"/> serves it beside /metrics and /health.</summary>
public sealed class QueryService(IOptions<OttoOptions> options, PaymentQueries queries, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<QueryService>();
    private HttpEndpoint? _endpoint;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Query.Enabled || o.Query.SharesMetricsEndpoint(o.Metrics)) return Task.CompletedTask;
        var (host, port) = o.Query.Binding(o.Metrics);
        _endpoint = new HttpEndpoint(host, port, queries.AddTo(new HttpRouter()), _logger);
        _logger.LogInformation("Read side on {Url} (payments/{{id}}, flags), advertised as {Server}", _endpoint.Url, o.Query.ApplicationServer(o.Metrics));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _endpoint?.Dispose();
        _endpoint = null;
    }
}
