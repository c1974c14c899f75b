using Confluent.SchemaRegistry;
using Otto.DevSchemaRegistry;

namespace Otto.Schemas.Tests;

/// <summary>One dev registry server per test class, and Confluent's client for it.</summary>
public sealed class DevRegistryFixture : IAsyncLifetime
{
    public DevSchemaRegistryServer Server { get; private set; } = null!;

    public string Url => Server.Url.ToString();

    public CachedSchemaRegistryClient Client(Action<SchemaRegistryConfig>? configure = null)
    {
        // MaxRetries counts attempts in Confluent's 2.16 client: 0 makes every call fail with a NullReferenceException.
        var config = new SchemaRegistryConfig { Url = Url, MaxRetries = 1 };
        configure?.Invoke(config);
        return new CachedSchemaRegistryClient(config);
    }

    public async Task InitializeAsync() => Server = await DevSchemaRegistryServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
