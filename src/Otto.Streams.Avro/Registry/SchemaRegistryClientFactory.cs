namespace Otto.Streams.Avro.Registry;

/// <summary>Creates the registry client for a URL from configuration.</summary>
public static class SchemaRegistryClientFactory
{
    /// <summary>The scheme of in-memory registries: mock://scope-name.</summary>
    public const string MockScheme = "mock://";

    /// <summary>
    /// An <see cref="InMemorySchemaRegistry"/> shared per scope for <c>mock://scope</c> URLs (as Confluent's
    /// clients do), otherwise an <see cref="HttpSchemaRegistryClient"/>.
    /// </summary>
    /// <param name="url">mock://scope, or one or more comma-separated http(s) URLs.</param>
    /// <param name="basicAuthUserInfo">"user:password" for basic authentication.</param>
    /// <param name="bearerToken">A bearer token, when basic authentication is not used.</param>
    public static ISchemaRegistryClient Create(string url, string? basicAuthUserInfo = null, string? bearerToken = null) =>
        Create(new HttpSchemaRegistryClientOptions { Url = url, BasicAuthUserInfo = basicAuthUserInfo, BearerToken = bearerToken });

    /// <summary>As <see cref="Create(string, string?, string?)"/>, with every HTTP setting (TLS, timeouts, retries).</summary>
    public static ISchemaRegistryClient Create(HttpSchemaRegistryClientOptions options) =>
        options.Url.StartsWith(MockScheme, StringComparison.OrdinalIgnoreCase)
            ? InMemorySchemaRegistry.ForScope(options.Url[MockScheme.Length..].TrimEnd('/'))
            : new HttpSchemaRegistryClient(options);
}
