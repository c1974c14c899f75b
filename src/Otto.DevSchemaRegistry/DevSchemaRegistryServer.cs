using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Otto.DevSchemaRegistry;

/// <summary>
/// Serves the Confluent Schema Registry REST subset that Confluent's .NET client (2.16) and Otto's tools use, on
/// 127.0.0.1 only, backed by an <see cref="InMemoryRegistry"/>. For local and dev runs: no persistence; optional
/// basic or bearer authentication, TLS and mutual TLS, to try clients' settings against it.
/// </summary>
public sealed class DevSchemaRegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DevSchemaRegistryServer(WebApplication app, Uri url, InMemoryRegistry registry)
    {
        _app = app;
        Url = url;
        Registry = registry;
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:38081/ (with the real port when started on port 0).</summary>
    public Uri Url { get; }

    /// <summary>The registry being served (for tests and set-up in the same process).</summary>
    public InMemoryRegistry Registry { get; }

    /// <summary>Starts a server on 127.0.0.1:<paramref name="port"/>; port 0 picks a free port. With
    /// <paramref name="tlsCertificate"/> (with its private key) it serves HTTPS; with
    /// <paramref name="clientCertificateAuthority"/> too it requires client certificates issued by that CA. With
    /// <paramref name="basicAuthUserInfo"/> ("user:password") or <paramref name="bearerToken"/> every request must
    /// carry those credentials (either, when both are given), else 401. <paramref name="tlsCertificateChain"/> is sent
    /// with the server certificate: Confluent's .NET client trusts its SslCaLocation only when the CA is in the chain
    /// the server presents.</summary>
    public static async Task<DevSchemaRegistryServer> StartAsync(int port = 0, CancellationToken ct = default,
        X509Certificate2? tlsCertificate = null, X509Certificate2? clientCertificateAuthority = null,
        string? basicAuthUserInfo = null, string? bearerToken = null, X509Certificate2Collection? tlsCertificateChain = null)
    {
        var registry = new InMemoryRegistry();
        // The empty builder reads no appsettings.json or ASPNETCORE_* settings of the host process, so the
        // server binds only where we say, however the process that embeds it is configured.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
        {
            if (tlsCertificate is null) return;
            listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = tlsCertificate,
                ServerCertificateChain = tlsCertificateChain,
                ClientCertificateMode = clientCertificateAuthority is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
                ClientCertificateValidation = (certificate, _, _) => clientCertificateAuthority is null || IssuedBy(certificate, clientCertificateAuthority),
            });
        }));
        var app = builder.Build();
        var accepted = new List<string>();
        if (basicAuthUserInfo is not null) accepted.Add("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(basicAuthUserInfo)));
        if (bearerToken is not null) accepted.Add("Bearer " + bearerToken);
        if (accepted.Count > 0) app.Use((context, next) => Authorized(context, accepted) ? next(context) : Unauthorized(context));
        app.UseRouting();
        RegistryEndpoints.Map(app, registry);
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new DevSchemaRegistryServer(app, new Uri(address.TrimEnd('/') + "/"), registry);
    }

    private static bool Authorized(HttpContext context, List<string> accepted)
    {
        var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
        return accepted.Any(a => CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(a)));
    }

    private static Task Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"dev-schema-registry\"";
        return RegistryEndpoints.Error(40101, "Unauthorized", status: 401).ExecuteAsync(context);
    }

    private static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
