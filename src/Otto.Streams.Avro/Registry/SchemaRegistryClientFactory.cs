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
    public static ISchemaRegistryClient Create(string url, string? basicAuthUserInfo = null, string? bearerToken = null)
    {
        if (url.StartsWith(MockScheme, StringComparison.OrdinalIgnoreCase))
            return InMemorySchemaRegistry.ForScope(url[MockScheme.Length..].TrimEnd('/'));
        return new HttpSchemaRegistryClient(new HttpSchemaRegistryClientOptions
        {
            Url = url,
            BasicAuthUserInfo = basicAuthUserInfo,
            BearerToken = bearerToken,
        });
    }
}
