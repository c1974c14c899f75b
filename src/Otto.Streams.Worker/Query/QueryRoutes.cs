using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Otto.Streams.Worker.Hosting;

namespace Otto.Streams.Worker.Query;

/// <summary>The read side's routes (minimal APIs): <c>GET /payments/{id}</c> and <c>GET /flags</c>, answered by
/// <see cref="PaymentQueries"/> (503 until the worker serves them), only on the read side's listener, and behind
/// <see cref="ApiKeyAuthenticationHandler"/> when Otto:Query:ApiKey is set.</summary>
public static class QueryRoutes
{
    /// <summary>Registers the key's authentication scheme when <paramref name="apiKey"/> is set.</summary>
    public static void AddReadSideAuthentication(this IServiceCollection services, string? apiKey)
    {
        if (string.IsNullOrWhiteSpace(apiKey)) return;
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => o.ApiKey = apiKey);
        services.AddAuthorization();
    }

    /// <summary>Maps the routes; with a key, every one of them requires it.</summary>
    public static RouteGroupBuilder MapReadSide(this IEndpointRouteBuilder app, string? apiKey)
    {
        var group = app.MapGroup("").WithMetadata(new ServedOn(HttpSide.ReadSide));
        if (!string.IsNullOrWhiteSpace(apiKey))
            group.RequireAuthorization(policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        group.MapGet("/payments/{id}", (string id, string? forward, [FromHeader(Name = InstanceClient.ForwardedByHeader)] string? forwardedBy,
                ReadSide readSide, CancellationToken ct) =>
            readSide.Queries is { } queries ? queries.GetPaymentAsync(id, forward, forwardedBy, ct) : Task.FromResult(QueryReplies.Starting()));
        group.MapGet("/flags", (string? open, string? local, string? limit, ReadSide readSide, CancellationToken ct) =>
            readSide.Queries is { } queries ? queries.GetFlagsAsync(open, local, limit, ct) : Task.FromResult(QueryReplies.Starting()));
        return group;
    }
}
