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

    /// <summary>Handler for the HTTP client (TLS settings, proxies, tests); null for the default.</summary>
    public HttpMessageHandler? HttpMessageHandler { get; init; }

    /// <summary>Describes the options without credentials.</summary>
    public override string ToString() =>
        $"Url={Url}, Auth={(BasicAuthUserInfo is not null ? "basic" : BearerToken is not null ? "bearer" : "none")}, Timeout={Timeout}, MaxRetries={MaxRetries}";
}
