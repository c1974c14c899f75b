using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Codegen;

/// <summary>Writes one .cs file per named type, named by full name, and removes files of types that no longer
/// exist. Unchanged files are not rewritten, so the compiler's incremental build sees no change.</summary>
internal static class OutputWriter
{
    public static int Write(IReadOnlyList<SchemaFile> files, string schemaDirName, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var source = $"{schemaDirName}/{file.FileName}";
            foreach (var type in file.Types)
            {
                var code = type switch
                {
                    RecordSchema r => RecordGenerator.Generate(r, source),
                    EnumSchema e => EnumGenerator.Generate(e, source),
                    FixedSchema f => FixedGenerator.Generate(f, source),
                    _ => throw new AvroException($"{file.FileName}: {type.FullName}: unexpected named type {type.Type}"),
                };
                var path = Path.Combine(outDir, type.FullName + ".cs");
                expected.Add(path);
                if (!File.Exists(path) || File.ReadAllText(path) != code) File.WriteAllText(path, code);
            }
        }
        foreach (var stale in Directory.GetFiles(outDir, "*.cs").Where(p => !expected.Contains(p)))
        {
            File.Delete(stale);
        }
        return expected.Count;
    }
}
