using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Confluent.SchemaRegistry;

namespace Otto.Streams.SchemaRegistry;

/// <summary>Otto's Schema Registry settings (configuration section <c>Otto:SchemaRegistry</c>), mapped onto
/// Confluent's <see cref="SchemaRegistryConfig"/>. Credentials are never logged.</summary>
public sealed class SchemaRegistryOptions
{
    /// <summary>One or more registry URLs, comma-separated.</summary>
    public string Url { get; set; } = "http://localhost:8081";

    /// <summary>Basic auth as "user:password" (never logged).</summary>
    public string? BasicAuthUserInfo { get; set; }

    /// <summary>A bearer token (never logged); used when <see cref="BasicAuthUserInfo"/> is not set.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Register schemas on first use. Off in production, where a platform team registers them.</summary>
    public bool AutoRegisterSchemas { get; set; }

    /// <summary>PEM file of a private CA that signed the registry's certificate.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>PEM client certificate for mutual TLS (with <see cref="SslKeyLocation"/>).</summary>
    public string? SslCertificateLocation { get; set; }

    /// <summary>PEM private key of <see cref="SslCertificateLocation"/>.</summary>
    public string? SslKeyLocation { get; set; }

    /// <summary>Timeout of one registry request; Confluent's client retries network errors and 5xx.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt (Confluent's <c>schema.registry.max.retries</c>).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>A registry client for these settings.</summary>
    public ISchemaRegistryClient CreateClient()
    {
        var config = ToConfluentConfig();
        try
        {
            return new CachedSchemaRegistryClient(config);
        }
        finally
        {
            // The client loaded the keystore in its constructor; the converted copy is not needed any more.
            if (config.SslKeystoreLocation is { } keystore && SslCertificateLocation is not null) File.Delete(keystore);
        }
    }

    /// <summary>Confluent's client configuration for these settings. With a PEM client certificate it names a
    /// temporary keystore: use <see cref="CreateClient"/>, which deletes it once the client has loaded it.</summary>
    public SchemaRegistryConfig ToConfluentConfig()
    {
        var config = new SchemaRegistryConfig
        {
            Url = Url,
            RequestTimeoutMs = (int)RequestTimeout.TotalMilliseconds,
            MaxRetries = MaxRetries,
            SslCaLocation = SslCaLocation,
        };
        if (!string.IsNullOrEmpty(BasicAuthUserInfo))
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = BasicAuthUserInfo;
        }
        else if (!string.IsNullOrEmpty(BearerToken))
        {
            config.BearerAuthCredentialsSource = BearerAuthCredentialsSource.StaticToken;
            config.BearerAuthToken = BearerToken;
        }
        if (SslCertificateLocation is not null || SslKeyLocation is not null)
            (config.SslKeystoreLocation, config.SslKeystorePassword) = ClientKeystore();
        return config;
    }

    /// <summary>Describes the settings without credentials.</summary>
    public override string ToString() =>
        $"Url={Url}, Auth={(BasicAuthUserInfo is not null ? "basic" : BearerToken is not null ? "bearer" : "none")}, AutoRegisterSchemas={AutoRegisterSchemas}";

    // Confluent's client takes a client certificate only as a PKCS#12 keystore; operators hand out PEM pairs (as
    // for librdkafka's ssl.certificate.location / ssl.key.location). The pair is converted once into a keystore
    // that only this user can read, under a one-time password.
    private (string Location, string Password) ClientKeystore()
    {
        if (SslCertificateLocation is null || SslKeyLocation is null)
            throw new ArgumentException("Otto:SchemaRegistry:SslCertificateLocation and SslKeyLocation must be set together");
        using var certificate = X509Certificate2.CreateFromPemFile(SslCertificateLocation, SslKeyLocation);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(Path.GetTempPath(), $"otto-registry-client-{Environment.ProcessId}-{Guid.NewGuid():N}.p12");
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(path, create)) file.Write(certificate.Export(X509ContentType.Pkcs12, password));
        return (path, password);
    }
}
