using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Otto.DevSchemaRegistry;
using Otto.Streams.Avro.Registry;

namespace Otto.Streams.Avro.Tests;

/// <summary>The dev registry serving HTTPS with a certificate from a private CA made for the test class.</summary>
public sealed class TlsRegistryFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("otto-tls-").FullName;

    public DevSchemaRegistryServer Server { get; private set; } = null!;

    public string CaFile => Path.Combine(_dir, "ca.pem");

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Otto Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CaFile, ca.ExportCertificatePem());

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);
        // Kestrel needs the key in an exportable form; a PKCS#12 round trip gives it one on every platform.
        var server = X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);
        Server = await DevSchemaRegistryServer.StartAsync(tlsCertificate: server);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>The HTTP client over TLS: a private CA, an unknown one, and verification switched off.</summary>
public sealed class RegistryTlsTests(TlsRegistryFixture tls) : IClassFixture<TlsRegistryFixture>
{
    private const string Schema = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""";
    private DevSchemaRegistryServer Server => tls.Server;
    private string CaFile => tls.CaFile;

    private HttpSchemaRegistryClient Client(string? ca = null, bool verify = true) => new(new HttpSchemaRegistryClientOptions
    {
        Url = Server.Url.ToString(),
        SslCaLocation = ca,
        EnableSslCertificateVerification = verify,
        MaxRetries = 0,
    });

    [Fact]
    public async Task A_certificate_from_the_configured_ca_is_trusted()
    {
        Assert.Equal("https", Server.Url.Scheme);
        using var client = Client(ca: CaFile);
        Assert.True(await client.RegisterAsync("tls-value", Schema) > 0);
    }

    [Fact]
    public async Task An_unknown_ca_is_refused_with_a_tls_error()
    {
        using var client = Client();
        var e = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSubjectsAsync());
        Assert.Equal(SchemaRegistryErrorCodes.Unreachable, e.ErrorCode);
        Assert.Contains("SSL", e.Message);
    }

    [Fact]
    public async Task Verification_can_be_switched_off_for_tests()
    {
        using var client = Client(verify: false);
        Assert.NotNull(await client.GetSubjectsAsync());
    }
}
