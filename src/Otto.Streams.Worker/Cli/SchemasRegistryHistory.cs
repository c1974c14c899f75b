using Otto.Streams.Avro.Registry;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Worker.Cli;

/// <summary>What a registry holds for a subject: its compatibility level and the versions a check needs.</summary>
public static class SchemasRegistryHistory
{
    /// <summary>The subject's level (its own or the global one) and its versions, oldest first, labelled "v{n}";
    /// only the latest unless the level is transitive. No versions when the subject does not exist yet.</summary>
    public static async Task<(CompatibilityLevel Level, List<(string Label, AvroSchema Schema)> Versions)> ReadAsync(
        ISchemaRegistryClient registry, string subject, CompatibilityLevel? overrideLevel, CancellationToken ct)
    {
        var level = overrideLevel ?? await registry.GetCompatibilityAsync(subject, ct);
        IReadOnlyList<int> versions;
        try
        {
            versions = await registry.GetVersionsAsync(subject, ct);
        }
        catch (SchemaRegistryException e) when (e.ErrorCode == SchemaRegistryErrorCodes.SubjectNotFound)
        {
            return (level, []);
        }
        var needed = level.IsTransitive() ? versions : versions.TakeLast(1);
        var result = new List<(string, AvroSchema)>();
        foreach (var version in needed)
        {
            var registered = await registry.GetVersionAsync(subject, version, ct);
            result.Add(($"v{registered.Version}", AvroSchema.Parse(registered.Schema)));
        }
        return (level, result);
    }

    /// <summary>Why <paramref name="candidate"/> may not follow <paramref name="history"/> under
    /// <paramref name="level"/>, each reason prefixed with the version it fails against.</summary>
    public static List<string> Problems(CompatibilityLevel level, AvroSchema candidate, IReadOnlyList<(string Label, AvroSchema Schema)> history)
    {
        var against = level.IsTransitive() ? history : history.TakeLast(1);
        return against.SelectMany(old => AvroCompatibility.Check(level, candidate, [old.Schema]).Select(p => $"against {old.Label}: {p}")).ToList();
    }
}
