using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Codegen;

/// <summary>The named types one .avsc file defines, in the order they are defined.</summary>
internal sealed record SchemaFile(string FileName, IReadOnlyList<NamedSchema> Types);

/// <summary>
/// Parses every *.avsc in a directory. Files may reference named types defined in other files, in any order:
/// a file whose dependency is not parsed yet is retried after the others, until a round makes no progress.
/// </summary>
internal static class SchemaLoader
{
    public static IReadOnlyList<SchemaFile> Load(string schemaDir)
    {
        if (!Directory.Exists(schemaDir)) throw new AvroException($"schema directory '{schemaDir}' does not exist");
        var pending = Directory.GetFiles(schemaDir, "*.avsc").Order(StringComparer.Ordinal).ToList();
        var names = new SchemaNames();
        var loaded = new List<SchemaFile>();
        var lastErrors = new Dictionary<string, AvroSchemaException>();
        while (pending.Count > 0)
        {
            var progress = false;
            foreach (var path in pending.ToList())
            {
                var before = names.All.Select(n => n.FullName).ToHashSet();
                try
                {
                    AvroSchema.Parse(File.ReadAllText(path), names);
                }
                catch (AvroSchemaException e) when (e.UnknownTypeName is not null)
                {
                    lastErrors[path] = e;
                    continue;
                }
                catch (AvroSchemaException e)
                {
                    throw new AvroException($"{Path.GetFileName(path)}: {e.Message}", e);
                }
                var defined = names.All.Where(n => !before.Contains(n.FullName)).ToList();
                loaded.Add(new SchemaFile(Path.GetFileName(path), defined));
                pending.Remove(path);
                progress = true;
            }
            if (!progress)
            {
                throw new AvroException(string.Join(Environment.NewLine,
                    pending.Select(p => $"{Path.GetFileName(p)}: {lastErrors[p].Message}")));
            }
        }
        return loaded;
    }
}
