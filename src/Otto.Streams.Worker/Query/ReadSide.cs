using Microsoft.Extensions.Logging;
using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;

namespace Otto.Streams.Worker.Query;

/// <summary>The read side's <see cref="PaymentQueries"/> once the worker serves them. They are created after the HTTP
/// server listens, not with the host: the URL advertised to the other instances carries the port the server bound,
/// which port 0 leaves to the system. Until then the routes answer 503.</summary>
public sealed class ReadSide : IDisposable
{
    private PaymentQueries? _queries;

    /// <summary>The queries, null until <see cref="Serve"/>.</summary>
    public PaymentQueries? Queries => Volatile.Read(ref _queries);

    /// <summary>Starts answering with the queries of a worker with <paramref name="options"/> whose read side listens on
    /// <paramref name="boundPort"/> (what Kestrel bound): they advertise <see cref="QueryOptions.Advertised"/> in their
    /// instance directory (not started: give it to <see cref="StreamHost.StartAsync"/>), and are disposed with this.</summary>
    public PaymentQueries Serve(StreamStatus status, OttoOptions options, int boundPort, ILoggerFactory? loggers = null)
    {
        var queries = PaymentQueries.Create(status, options, options.Query.Advertised(options.Metrics, boundPort), loggers);
        if (Interlocked.CompareExchange(ref _queries, queries, null) is not null)
        {
            queries.Dispose();
            throw new InvalidOperationException("The read side already serves its queries.");
        }
        return queries;
    }

    /// <inheritdoc />
    public void Dispose() => Queries?.Dispose();
}
