using Otto.Streams.Avro;
using Otto.Streams.Avro.Codegen;
using Otto.Streams.Avro.Schema;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Otto.Streams.Avro.Codegen <schemaDir> <outDir>");
    return 2;
}

try
{
    var schemaDir = Path.GetFullPath(args[0]);
    var outDir = Path.GetFullPath(args[1]);
    var files = SchemaDirectory.Load(schemaDir);
    var written = OutputWriter.Write(files, Path.GetFileName(schemaDir.TrimEnd(Path.DirectorySeparatorChar)), outDir);
    Console.WriteLine($"Otto.Streams.Avro.Codegen: {files.Count} schema files, {written} types -> {outDir}");
    return 0;
}
catch (AvroException e)
{
    // MSBuild shows "error:" lines from Exec as build errors.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
