using Microsoft.Extensions.Diagnostics.HealthChecks;
using Otto.Streams.Worker.Query;

namespace Otto.Streams.Worker.Hosting;

/// <summary>Liveness for an orchestrator's probe: unhealthy after a fatal error or once stopped (restart the
/// process); healthy while it runs or is getting there (starting, rebalancing). The description is Streamiz's state.</summary>
public sealed class StreamLiveCheck(StreamStatus status) : IHealthCheck
{
    /// <summary>The check's name and tag.</summary>
    public const string Name = "live";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(new HealthCheckResult(status.Live ? HealthStatus.Healthy : context.Registration.FailureStatus, status.State.ToString()));
}

/// <summary>Readiness: the stream is RUNNING and this instance has restored the payments store of every partition it
/// holds. Streamiz 1.8 reports RUNNING while its tasks still restore (see the read side's <see cref="PaymentQueries.Restoring"/>),
/// so RUNNING alone would route clients to stale state. Without the read side (Otto:Query:Enabled false) no restore
/// is tracked and RUNNING is all it checks.</summary>
public sealed class StreamReadyCheck(StreamStatus status, ReadSide readSide) : IHealthCheck
{
    /// <summary>The check's name and tag.</summary>
    public const string Name = "ready";

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = status.State.ToString();
        if (!status.Ready) return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, state));
        var restoring = readSide.Queries?.Restoring() ?? new HashSet<int>();
        return Task.FromResult(restoring.Count == 0
            ? HealthCheckResult.Healthy(state)
            : new HealthCheckResult(context.Registration.FailureStatus, $"{state}, restoring partitions {string.Join(", ", restoring.Order())} of the payments store"));
    }
}
