using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Otto.Streams.Avro.Registry;

/// <summary>Builds the HTTP handler for <see cref="HttpSchemaRegistryClientOptions"/>' TLS settings: a private CA
/// to trust, a client certificate for mutual TLS, or (tests only) no verification.</summary>
internal static class RegistryTls
{
    public static SocketsHttpHandler Handler(HttpSchemaRegistryClientOptions options)
    {
        var handler = new SocketsHttpHandler();
        if (options.SslCertificateLocation is { } certificate)
        {
            var key = options.SslKeyLocation ?? throw new ArgumentException("SslCertificateLocation needs SslKeyLocation", nameof(options));
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(certificate, key)];
        }
        if (!options.EnableSslCertificateVerification)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (options.SslCaLocation is { } caLocation)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caLocation);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null
                    && ChainsTo(certificate, authorities));
        }
        return handler;
    }

    // The system's roots did not accept the chain: accept it when it ends in one of the configured authorities.
    // Name mismatches and missing certificates are never accepted.
    private static bool ChainsTo(X509Certificate certificate, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
