using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Confluent.SchemaRegistry;

namespace Otto.Schemas.Registry;

/// <summary>Otto's Schema Registry settings (configuration section <c>Otto:SchemaRegistry</c>, environment variables
/// <c>Otto__SchemaRegistry__*</c>), mapped onto Confluent's <see cref="SchemaRegistryConfig"/>: one mapping for the
/// worker and the schema tool. Credentials are never logged.</summary>
public sealed class SchemaRegistryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Otto:SchemaRegistry";

    /// <summary>One or more registry URLs, comma-separated.</summary>
    public string Url { get; set; } = "http://localhost:8081";

    /// <summary>Basic auth as "user:password" (never logged).</summary>
    public string? BasicAuthUserInfo { get; set; }

    /// <summary>A bearer token (never logged); used when <see cref="BasicAuthUserInfo"/> is not set.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Confluent Cloud's logical cluster and identity pool headers sent with <see cref="BearerToken"/>;
    /// Confluent's client requires both with a static token, other registries ignore them ("-" when unset).</summary>
    public string? BearerAuthLogicalCluster { get; set; }

    /// <inheritdoc cref="BearerAuthLogicalCluster"/>
    public string? BearerAuthIdentityPoolId { get; set; }

    /// <summary>Register schemas on first use. Off in production, where a platform team registers them.</summary>
    public bool AutoRegisterSchemas { get; set; }

    /// <summary>PEM file of the CA bundle that signed the registry's certificate (with the signing intermediate:
    /// Confluent's client builds the chain from what the server sends).</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>PEM client certificate for mutual TLS (with <see cref="SslKeyLocation"/>).</summary>
    public string? SslCertificateLocation { get; set; }

    /// <summary>PEM private key of <see cref="SslCertificateLocation"/>.</summary>
    public string? SslKeyLocation { get; set; }

    /// <summary>Timeout of one registry request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Confluent's <c>schema.registry.max.retries</c>, which counts attempts (0 makes every call fail);
    /// network errors and 5xx are retried with backoff.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The settings from the <c>Otto__SchemaRegistry__*</c> environment variables, as the worker reads them,
    /// with <paramref name="url"/> (tools take the URL on their command line, the credentials never).</summary>
    public static SchemaRegistryOptions FromEnvironment(string url)
    {
        static string? Setting(string name) =>
            Environment.GetEnvironmentVariable($"Otto__SchemaRegistry__{name}") is { Length: > 0 } value ? value : null;
        return new SchemaRegistryOptions
        {
            Url = url,
            BasicAuthUserInfo = Setting(nameof(BasicAuthUserInfo)),
            BearerToken = Setting(nameof(BearerToken)),
            BearerAuthLogicalCluster = Setting(nameof(BearerAuthLogicalCluster)),
            BearerAuthIdentityPoolId = Setting(nameof(BearerAuthIdentityPoolId)),
            SslCaLocation = Setting(nameof(SslCaLocation)),
            SslCertificateLocation = Setting(nameof(SslCertificateLocation)),
            SslKeyLocation = Setting(nameof(SslKeyLocation)),
        };
    }

    /// <summary>The client certificate for mutual TLS, or null without one.</summary>
    /// <exception cref="ArgumentException">Only one of the certificate and its key is set.</exception>
    public X509Certificate2? ClientCertificate()
    {
        if ((SslCertificateLocation is null) != (SslKeyLocation is null))
            throw new ArgumentException("Otto:SchemaRegistry:SslCertificateLocation and SslKeyLocation go together (a client certificate and its key)");
        return SslCertificateLocation is null ? null : X509Certificate2.CreateFromPemFile(SslCertificateLocation, SslKeyLocation);
    }

    /// <summary>Confluent's registry client for these settings.</summary>
    public ISchemaRegistryClient CreateClient()
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
            config.BearerAuthLogicalCluster = BearerAuthLogicalCluster ?? "-";
            config.BearerAuthIdentityPoolId = BearerAuthIdentityPoolId ?? "-";
        }
        using var certificate = ClientCertificate();
        if (certificate is null) return new CachedSchemaRegistryClient(config);

        // Confluent's client takes a client certificate only as a PKCS#12 keystore, while operators hand out PEM pairs
        // (as for librdkafka's ssl.certificate.location / ssl.key.location). The pair goes into a keystore only this
        // user can read, under a one-time password, deleted once the client has loaded it in its constructor.
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var keystore = Path.Combine(Path.GetTempPath(), $"otto-registry-client-{Guid.NewGuid():N}.p12");
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var file = new FileStream(keystore, create)) file.Write(certificate.Export(X509ContentType.Pkcs12, password));
            (config.SslKeystoreLocation, config.SslKeystorePassword) = (keystore, password);
            return new CachedSchemaRegistryClient(config);
        }
        finally
        {
            File.Delete(keystore);
        }
    }

    /// <summary>Describes the settings without credentials.</summary>
    public override string ToString() =>
        $"Url={Url}, Auth={(BasicAuthUserInfo is not null ? "basic" : BearerToken is not null ? "bearer" : "none")}, AutoRegisterSchemas={AutoRegisterSchemas}";
}
