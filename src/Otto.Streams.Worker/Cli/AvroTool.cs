using Otto.Streams.Avro;
using Otto.Streams.Avro.Registry;

namespace Otto.Streams.Worker.Cli;

/// <summary>What the Avro tool verbs (`schemas`, `avro`) share: the registry connection and the error contract.</summary>
internal static class AvroTool
{
    /// <summary>A registry client for <paramref name="url"/>; credentials come from the worker's environment
    /// variables (never from the command line, where they would show in process lists) and are never printed.</summary>
    public static ISchemaRegistryClient Connect(string url) => SchemaRegistryClientFactory.Create(url,
        Environment.GetEnvironmentVariable("Otto__SchemaRegistry__BasicAuthUserInfo"),
        Environment.GetEnvironmentVariable("Otto__SchemaRegistry__BearerToken"));

    /// <summary>Runs a verb: an error that stops it is one line on stderr and exit code 2 (1 is the verbs' own
    /// "found a problem").</summary>
    public static async Task<int> Run(Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (AvroException e)
        {
            await Console.Error.WriteLineAsync($"otto: error: {e.Message}");
            return 2;
        }
    }
}
