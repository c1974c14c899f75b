using System.Text.Json;
using Avro;
using Otto.Schemas.Compatibility;

namespace Otto.Schemas;

/// <summary>
/// schemas/subjects.json: the registry subjects each schema file is registered under, with {env} and
/// {applicationId} filled in, and the compatibility level checked against git history. Checked in rather than
/// derived from a naming rule because one record type travels on several topics (GetTrnRs on the reply topic and
/// the repartition hop; GetTrnRq on its topic and the request store's changelog), each a TopicNameStrategy
/// subject the worker looks up.
/// </summary>
/// <param name="Compatibility">The level schemas/ keeps between git versions (default BACKWARD).</param>
/// <param name="SubjectsByFile">File name → subjects (none for an enum used only inside records).</param>
public sealed record SubjectMap(CompatibilityLevel Compatibility, IReadOnlyDictionary<string, IReadOnlyList<string>> SubjectsByFile)
{
    /// <summary>The mapping file's name inside the schema directory.</summary>
    public const string FileName = "subjects.json";

    /// <summary>Reads the mapping of <paramref name="schemaDir"/>; every .avsc there must be listed.</summary>
    /// <exception cref="AvroException">Missing or invalid mapping, or a file missing from it.</exception>
    public static SubjectMap Load(string schemaDir, string env, string applicationId)
    {
        var path = Path.Combine(schemaDir, FileName);
        if (!File.Exists(path)) throw new AvroException($"{path} does not exist; it maps each schema file to its registry subjects");
        SubjectsFile? file;
        try
        {
            file = JsonSerializer.Deserialize<SubjectsFile>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
        }
        catch (JsonException e)
        {
            throw new AvroException($"{path}: {e.Message}", e);
        }
        if (file?.Subjects is null) throw new AvroException($"{path}: needs a \"subjects\" object (file name → list of subjects)");
        var level = file.Compatibility is null ? CompatibilityLevel.Backward : CompatibilityLevels.Parse(file.Compatibility);
        var schemaFiles = Directory.GetFiles(schemaDir, "*.avsc").Select(p => Path.GetFileName(p)).ToHashSet(StringComparer.Ordinal);
        var unlisted = schemaFiles.Where(f => !file.Subjects.ContainsKey(f)).Order(StringComparer.Ordinal).ToList();
        if (unlisted.Count > 0) throw new AvroException($"{path}: no entry for {string.Join(", ", unlisted)} (list its subjects, or [] for none)");
        var missing = file.Subjects.Keys.Where(f => !schemaFiles.Contains(f)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0) throw new AvroException($"{path}: lists {string.Join(", ", missing)}, which is not in {schemaDir}");
        return new SubjectMap(level, file.Subjects.ToDictionary(
            e => e.Key,
            e => (IReadOnlyList<string>)e.Value.Select(s => s.Replace("{env}", env).Replace("{applicationId}", applicationId)).ToList(),
            StringComparer.Ordinal));
    }

    private sealed record SubjectsFile(string? Compatibility, Dictionary<string, List<string>>? Subjects);
}
