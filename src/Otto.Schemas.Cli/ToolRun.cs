using Avro;
using Confluent.SchemaRegistry;

namespace Otto.Schemas.Cli;

/// <summary>The verbs' error contract: a failure that stops a verb is one line on stderr and exit code 2 (1 is the
/// verbs' own "found a problem").</summary>
internal static class ToolRun
{
    public static async Task<int> Run(Func<Task<int>> verb)
    {
        try
        {
            return await verb();
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            await Console.Error.WriteLineAsync($"otto: error: {message}");
            return 2;
        }
    }

    private static string? Describe(Exception e) => e switch
    {
        SchemaRegistryException r => $"schema registry error {r.ErrorCode} (HTTP {(int)r.Status}): {r.Message}",
        HttpRequestException h => $"schema registry unreachable: {h.Message}",
        TaskCanceledException => "schema registry request timed out",
        AvroException or IOException or ToolException or ArgumentException or InvalidOperationException
            or Newtonsoft.Json.JsonException => e.Message,
        _ => null,
    };
}

/// <summary>A problem with the input or the environment, said in one line.</summary>
internal sealed class ToolException(string message) : Exception(message);
