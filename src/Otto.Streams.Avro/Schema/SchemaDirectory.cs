namespace Otto.Streams.Avro.Schema;

/// <summary>One parsed .avsc file.</summary>
/// <param name="FileName">The file's name, e.g. "PaymentAdded.avsc".</param>
/// <param name="Schema">The file's top-level schema, self-contained (types from other files are inlined by
/// <see cref="AvroSchema.ToJson"/>).</param>
/// <param name="Types">The named types the file defines, in the order they are defined.</param>
public sealed record SchemaFile(string FileName, AvroSchema Schema, IReadOnlyList<NamedSchema> Types);

/// <summary>
/// Parses every *.avsc in a directory (as schemas/ holds them: one file per type). Files may reference named
/// types defined in other files, in any order: a file whose dependency is not parsed yet is retried after the
/// others, until a round makes no progress.
/// </summary>
public static class SchemaDirectory
{
    /// <summary>Parses the directory's files, ordered so that every file comes after the files it uses.</summary>
    /// <exception cref="AvroException">The directory is missing, or a file is invalid or references an unknown
    /// type; the message names the file and the path inside it.</exception>
    public static IReadOnlyList<SchemaFile> Load(string schemaDir)
    {
        if (!Directory.Exists(schemaDir)) throw new AvroException($"schema directory '{schemaDir}' does not exist");
        return Load(Directory.GetFiles(schemaDir, "*.avsc").Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path))));
    }

    /// <summary>Parses (file name, JSON) pairs, e.g. read from a git revision.</summary>
    /// <exception cref="AvroException">As <see cref="Load(string)"/>.</exception>
    public static IReadOnlyList<SchemaFile> Load(IEnumerable<(string FileName, string Json)> files)
    {
        var pending = files.ToList();
        var names = new SchemaNames();
        var loaded = new List<SchemaFile>();
        var lastErrors = new Dictionary<string, AvroSchemaException>();
        while (pending.Count > 0)
        {
            var progress = false;
            foreach (var file in pending.ToList())
            {
                var before = names.All.Select(n => n.FullName).ToHashSet();
                AvroSchema schema;
                try
                {
                    schema = AvroSchema.Parse(file.Json, names);
                }
                catch (AvroSchemaException e) when (e.UnknownTypeName is not null)
                {
                    lastErrors[file.FileName] = e;
                    continue;
                }
                catch (AvroSchemaException e)
                {
                    throw new AvroException($"{file.FileName}: {e.Message}", e);
                }
                var defined = names.All.Where(n => !before.Contains(n.FullName)).ToList();
                loaded.Add(new SchemaFile(file.FileName, schema, defined));
                pending.Remove(file);
                progress = true;
            }
            if (!progress)
            {
                throw new AvroException(string.Join(Environment.NewLine,
                    pending.Select(p => $"{p.FileName}: {lastErrors[p.FileName].Message}")));
            }
        }
        return loaded;
    }
}
