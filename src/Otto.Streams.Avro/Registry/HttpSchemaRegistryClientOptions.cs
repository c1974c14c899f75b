namespace Otto.Streams.Avro.Registry;

/// <summary>Settings of <see cref="HttpSchemaRegistryClient"/>. Credentials are never logged or put in
/// exception messages.</summary>
public sealed class HttpSchemaRegistryClientOptions
{
    /// <summary>One or more base URLs, comma-separated; retries move on to the next one.</summary>
    public required string Url { get; init; }

    /// <summary>Basic authentication as "user:password".</summary>
    public string? BasicAuthUserInfo { get; init; }

    /// <summary>A bearer token (used when <see cref="BasicAuthUserInfo"/> is not set).</summary>
    public string? BearerToken { get; init; }

    /// <summary>Timeout of one HTTP attempt.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt on network errors, timeouts and 5xx responses.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Delay before the first retry; doubles each retry up to <see cref="MaxRetryBackoff"/>.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound of the retry delay.</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Clock for the retry delays (tests inject one that does not wait).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>PEM file of the certificate authorities to trust for the registry's certificate (a private CA),
    /// in addition to the system's; as Confluent's <c>schema.registry.ssl.ca.location</c>.</summary>
    public string? SslCaLocation { get; init; }

    /// <summary>PEM client certificate for mutual TLS (with <see cref="SslKeyLocation"/>).</summary>
    public string? SslCertificateLocation { get; init; }

    /// <summary>PEM private key of <see cref="SslCertificateLocation"/>.</summary>
    public string? SslKeyLocation { get; init; }

    /// <summary>False accepts any server certificate: for test set-ups only, never production.</summary>
    public bool EnableSslCertificateVerification { get; init; } = true;

    /// <summary>Handler for the HTTP client (proxies, tests); null for one built from the TLS settings above,
    /// which are then ignored.</summary>
    public HttpMessageHandler? HttpMessageHandler { get; init; }

    /// <summary>Describes the options without credentials.</summary>
    public override string ToString() =>
        $"Url={Url}, Auth={(BasicAuthUserInfo is not null ? "basic" : BearerToken is not null ? "bearer" : "none")}, Timeout={Timeout}, MaxRetries={MaxRetries}";
}
