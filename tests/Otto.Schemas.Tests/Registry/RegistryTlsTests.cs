using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Confluent.SchemaRegistry;
using Otto.DevSchemaRegistry;
using Otto.Schemas.Tests.Cli;

namespace Otto.Schemas.Tests.Registry;

/// <summary>The dev registry serving HTTPS with certificates from a private CA made for the test class: plain TLS,
/// mutual TLS, and mutual TLS with basic authentication; one with a bearer token over HTTP.</summary>
public sealed class TlsRegistryFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("otto-tls-").FullName;

    public DevSchemaRegistryServer Server { get; private set; } = null!;

    /// <summary>Requires a client certificate from the CA (mutual TLS) and basic credentials.</summary>
    public DevSchemaRegistryServer MutualServer { get; private set; } = null!;

    /// <summary>HTTP with a bearer token.</summary>
    public DevSchemaRegistryServer BearerServer { get; private set; } = null!;

    public const string UserInfo = "otto:s3cret";
    public const string Token = "t0ken";

    public string CaFile => Path.Combine(_dir, "ca.pem");
    public string OtherCaFile => Path.Combine(_dir, "other-ca.pem");
    public string ClientCertificateFile => Path.Combine(_dir, "client.pem");
    public string ClientKeyFile => Path.Combine(_dir, "client.key");
    public string ClientKeystoreFile => Path.Combine(_dir, "client.p12");
    public const string KeystorePassword = "changeit";

    public async Task InitializeAsync()
    {
        // A root CA and an intermediate that signs the server certificate; CaFile is the bundle of both, as
        // deployments hand it out. Confluent's .NET client trusts SslCaLocation only when one of its certificates
        // is in the chain it builds from what the server sends, and a server does not send its root: with a server
        // certificate signed by the root alone the client refuses it (checked by hand), so the server sends the
        // intermediate.
        using var ca = Authority("CN=Otto Test CA", out var caKey, issuer: null, issuerKey: null);
        using var intermediate = Authority("CN=Otto Test Intermediate", out var intermediateKey, ca, caKey);
        File.WriteAllText(CaFile, ca.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem());
        using var other = Authority("CN=Someone Else", out _, null, null);
        File.WriteAllText(OtherCaFile, other.ExportCertificatePem());

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverRequest.Create(intermediate.CopyWithPrivateKey(intermediateKey), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);
        // Kestrel needs the key in an exportable form; a PKCS#12 round trip gives it one on every platform.
        var server = X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);
        var chain = new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(intermediate.RawData));
        Server = await DevSchemaRegistryServer.StartAsync(tlsCertificate: server, tlsCertificateChain: chain);

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=otto-client", clientKey, HashAlgorithmName.SHA256);
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = clientRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [5, 6, 7, 8]);
        File.WriteAllText(ClientCertificateFile, client.ExportCertificatePem());
        File.WriteAllText(ClientKeyFile, clientKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(ClientKeystoreFile, client.CopyWithPrivateKey(clientKey).Export(X509ContentType.Pkcs12, KeystorePassword));
        MutualServer = await DevSchemaRegistryServer.StartAsync(tlsCertificate: server,
            clientCertificateAuthority: X509CertificateLoader.LoadCertificate(ca.RawData), basicAuthUserInfo: UserInfo, tlsCertificateChain: chain);
        BearerServer = await DevSchemaRegistryServer.StartAsync(bearerToken: Token);
        caKey.Dispose();
        intermediateKey.Dispose();
    }

    private static X509Certificate2 Authority(string name, out ECDsa key, X509Certificate2? issuer, ECDsa? issuerKey)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return issuer is null
            ? request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1))
            : request.Create(issuer.HasPrivateKey ? issuer : issuer.CopyWithPrivateKey(issuerKey!), DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(20), [9, 9, 9, 9]);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await MutualServer.DisposeAsync();
        await BearerServer.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>Confluent's client over TLS and with credentials, and the schema tool given the worker's environment
/// variables.</summary>
public sealed class RegistryTlsTests(TlsRegistryFixture tls) : IClassFixture<TlsRegistryFixture>
{
    private const string Schema = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""";

    private static CachedSchemaRegistryClient Client(DevSchemaRegistryServer server, Action<SchemaRegistryConfig> configure)
    {
        var config = new SchemaRegistryConfig { Url = server.Url.ToString(), MaxRetries = 1 };
        configure(config);
        return new CachedSchemaRegistryClient(config);
    }

    private static Task<int> Register(CachedSchemaRegistryClient client, string subject) =>
        client.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(Schema, SchemaType.Avro));

    [Fact]
    public async Task A_certificate_from_the_configured_ca_is_trusted()
    {
        Assert.Equal("https", tls.Server.Url.Scheme);
        using var client = Client(tls.Server, c => c.SslCaLocation = tls.CaFile);
        Assert.True(await Register(client, "tls-value") > 0);
    }

    [Fact]
    public async Task Another_ca_is_refused()
    {
        using var client = Client(tls.Server, c => c.SslCaLocation = tls.OtherCaFile);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAllSubjectsAsync());
    }

    [Fact]
    public async Task Mutual_tls_and_basic_auth_are_accepted_with_both_and_refused_without()
    {
        using var both = Client(tls.MutualServer, c =>
        {
            c.SslCaLocation = tls.CaFile;
            c.SslKeystoreLocation = tls.ClientKeystoreFile;
            c.SslKeystorePassword = TlsRegistryFixture.KeystorePassword;
            c.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            c.BasicAuthUserInfo = TlsRegistryFixture.UserInfo;
        });
        Assert.True(await Register(both, "mtls-value") > 0);

        using var wrongPassword = Client(tls.MutualServer, c =>
        {
            c.SslCaLocation = tls.CaFile;
            c.SslKeystoreLocation = tls.ClientKeystoreFile;
            c.SslKeystorePassword = TlsRegistryFixture.KeystorePassword;
            c.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            c.BasicAuthUserInfo = "otto:wrong";
        });
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => wrongPassword.GetAllSubjectsAsync());
        Assert.Contains("Unauthorized", refused.Message);

        using var noCertificate = Client(tls.MutualServer, c =>
        {
            c.SslCaLocation = tls.CaFile;
            c.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            c.BasicAuthUserInfo = TlsRegistryFixture.UserInfo;
        });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => noCertificate.GetAllSubjectsAsync());
    }

    [Fact]
    public async Task A_bearer_token_is_accepted_and_a_wrong_one_refused()
    {
        using var client = Client(tls.BearerServer, c =>
        {
            c.BearerAuthCredentialsSource = BearerAuthCredentialsSource.StaticToken;
            c.BearerAuthToken = TlsRegistryFixture.Token;
            c.BearerAuthLogicalCluster = "-";
            c.BearerAuthIdentityPoolId = "-";
        });
        Assert.True(await Register(client, "bearer-value") > 0);
        using var anonymous = Client(tls.BearerServer, _ => { });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous.GetAllSubjectsAsync());
    }

    [Fact]
    public void The_tool_takes_tls_and_credentials_from_the_workers_environment_variables()
    {
        using var repo = new TempGitRepo();
        repo.Write("subjects.json", """{"subjects": {"R.avsc": ["tool-mtls-value"]}}""");
        repo.Write("R.avsc", Schema);
        var environment = new Dictionary<string, string>
        {
            ["Otto__SchemaRegistry__SslCaLocation"] = tls.CaFile,
            ["Otto__SchemaRegistry__SslCertificateLocation"] = tls.ClientCertificateFile,
            ["Otto__SchemaRegistry__SslKeyLocation"] = tls.ClientKeyFile,
            ["Otto__SchemaRegistry__BasicAuthUserInfo"] = TlsRegistryFixture.UserInfo,
        };
        var url = tls.MutualServer.Url.ToString();
        var registered = ToolProcess.Run(repo.Root, [], environment, "schemas", "register", "--registry", url);
        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Contains("R.avsc -> tool-mtls-value: registered (id", registered.Output);
        var check = ToolProcess.Run(repo.Root, [], environment, "schemas", "check", "--registry", url);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("R.avsc -> tool-mtls-value: ok (BACKWARD against 1 version in the registry)", check.Output);

        environment["Otto__SchemaRegistry__BasicAuthUserInfo"] = "otto:wrong";
        var refused = ToolProcess.Run(repo.Root, [], environment, "schemas", "check", "--registry", url);
        Assert.Equal(2, refused.ExitCode);
        Assert.DoesNotContain("wrong", refused.Stderr + refused.Output);

        var bearer = new Dictionary<string, string> { ["Otto__SchemaRegistry__BearerToken"] = TlsRegistryFixture.Token };
        var withToken = ToolProcess.Run(repo.Root, [], bearer, "schemas", "register", "--registry", tls.BearerServer.Url.ToString());
        Assert.True(withToken.ExitCode == 0, withToken.ToString());
    }
}
