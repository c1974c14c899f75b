using Confluent.SchemaRegistry;

namespace Otto.DevSchemaRegistry;

/// <summary>
/// One dev registry on a free loopback port for the whole process, started on first use: what in-process
/// topologies (the test driver, benchmarks) register their schemas with. Confluent's client has no in-memory
/// registry of its own, so they talk to this one over HTTP; the client caches, so that happens once per schema.
/// </summary>
public static class InProcessRegistry
{
    private static readonly Lazy<(DevSchemaRegistryServer Server, ISchemaRegistryClient Client)> Shared = new(() =>
    {
        var server = DevSchemaRegistryServer.StartAsync(0).GetAwaiter().GetResult();
        return (server, new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = server.Url.ToString() }));
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The registry's URL.</summary>
    public static string Url => Shared.Value.Server.Url.ToString();

    /// <summary>A client of the registry, shared by the whole process.</summary>
    public static ISchemaRegistryClient Client => Shared.Value.Client;
}
