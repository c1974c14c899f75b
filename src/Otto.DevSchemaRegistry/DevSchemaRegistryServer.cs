using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Otto.Streams.Avro.Registry;

namespace Otto.DevSchemaRegistry;

/// <summary>
/// Serves the Confluent Schema Registry REST subset that <see cref="HttpSchemaRegistryClient"/> uses, on
/// 127.0.0.1 only, backed by an <see cref="InMemorySchemaRegistry"/> (so it behaves exactly like mock:// URLs).
/// For local and dev runs: no persistence, no authentication.
/// </summary>
public sealed class DevSchemaRegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DevSchemaRegistryServer(WebApplication app, Uri url, InMemorySchemaRegistry registry)
    {
        _app = app;
        Url = url;
        Registry = registry;
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:38081/ (with the real port when started on port 0).</summary>
    public Uri Url { get; }

    /// <summary>The registry being served.</summary>
    public InMemorySchemaRegistry Registry { get; }

    /// <summary>Starts a server on 127.0.0.1:<paramref name="port"/>; port 0 picks a free port. With
    /// <paramref name="tlsCertificate"/> (with its private key) it serves HTTPS, e.g. to test TLS clients.</summary>
    public static async Task<DevSchemaRegistryServer> StartAsync(int port = 0, CancellationToken ct = default,
        System.Security.Cryptography.X509Certificates.X509Certificate2? tlsCertificate = null)
    {
        var registry = new InMemorySchemaRegistry();
        // The empty builder reads no appsettings.json or ASPNETCORE_* settings of the host process, so the
        // server binds only where we say, however the process that embeds it is configured.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
        {
            if (tlsCertificate is not null) listen.UseHttps(tlsCertificate);
        }));
        var app = builder.Build();
        RegistryEndpoints.Map(app, registry);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new DevSchemaRegistryServer(app, new Uri(address.TrimEnd('/') + "/"), registry);
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
