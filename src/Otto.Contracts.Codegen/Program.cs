using Avro;
using Otto.Contracts.Codegen;
using Otto.Schemas;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Otto.Contracts.Codegen <schemaDir> <outDir>");
    return 2;
}

try
{
    var schemaDir = Path.GetFullPath(args[0]);
    var outDir = Path.GetFullPath(args[1]);
    var files = SchemaFiles.Load(schemaDir);

    // Apache.Avro's own generator writes the ISpecificRecord classes and enums, as its avrogen tool would.
    var codegen = new CodeGen();
    foreach (var file in files) codegen.AddSchema(file.Schema);
    codegen.GenerateCode();

    if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
    Directory.CreateDirectory(outDir);
    var count = 0;
    var typeNames = files.SelectMany(f => f.Defines).ToList();
    foreach (var (name, code) in codegen.GetTypes())
    {
        File.WriteAllText(Path.Combine(outDir, $"{name}.cs"), GlobalNames.Qualify(code, typeNames));
        count++;
    }
    foreach (var file in files)
    // A file's schema reaches the records of the files it uses too; each is written once, for the file defining it.
    foreach (var record in CSharpFace.Records(file.Schema).Where(r => file.Defines.Contains(r.Fullname)))
        File.WriteAllText(Path.Combine(outDir, $"{record.Name}.Face.cs"), CSharpFace.Write(record, file.FileName));

    Console.WriteLine($"Otto.Contracts.Codegen: {files.Count} schema files, {count} types -> {outDir}");
    return 0;
}
catch (Exception e) when (e is AvroException or CodeGenException)
{
    // MSBuild shows "error:" lines from Exec as build errors.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
