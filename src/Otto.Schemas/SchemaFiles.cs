using System.Text.Json;
using Avro;

namespace Otto.Schemas;

/// <summary>One parsed .avsc file.</summary>
/// <param name="FileName">The file's name, e.g. "PaymentAdded.avsc".</param>
/// <param name="Schema">The file's top-level schema; <c>ToString()</c> gives it self-contained, with the named
/// types of other files inlined where first used.</param>
/// <param name="Defines">Full names of the named types the file defines.</param>
public sealed record SchemaFile(string FileName, Schema Schema, IReadOnlyList<string> Defines);

/// <summary>
/// Parses a directory of .avsc files, one type per file as schemas/ holds them. Apache.Avro resolves a name only
/// against types parsed before it, so the files are ordered by what they reference first (a file that uses
/// Otto.Contracts.PaymentRail comes after PaymentRail.avsc), then parsed into one shared name table.
/// </summary>
public static class SchemaFiles
{
    /// <summary>Parses every *.avsc in <paramref name="schemaDir"/>, each after the files it uses.</summary>
    /// <exception cref="SchemaParseException">A file is invalid, references an unknown type, or files reference
    /// each other in a cycle; the message names the file.</exception>
    public static IReadOnlyList<SchemaFile> Load(string schemaDir)
    {
        if (!Directory.Exists(schemaDir)) throw new SchemaParseException($"schema directory '{schemaDir}' does not exist");
        return Load(Directory.GetFiles(schemaDir, "*.avsc").Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path))));
    }

    /// <summary>Parses (file name, JSON) pairs, e.g. read from a git revision.</summary>
    /// <exception cref="SchemaParseException">As <see cref="Load(string)"/>.</exception>
    public static IReadOnlyList<SchemaFile> Load(IEnumerable<(string FileName, string Json)> files)
    {
        var scanned = files.Select(f => Scan(f.FileName, f.Json)).ToList();
        var definedBy = new Dictionary<string, Scanned>(StringComparer.Ordinal);
        foreach (var file in scanned)
        foreach (var name in file.Defines)
            if (!definedBy.TryAdd(name, file))
                throw new SchemaParseException($"{file.FileName}: type {name} is also defined in {definedBy[name].FileName}");

        var names = new SchemaNames();
        var loaded = new List<SchemaFile>();
        var state = new Dictionary<Scanned, bool>(); // false: being visited, true: parsed
        void Visit(Scanned file, Stack<string> path)
        {
            if (state.TryGetValue(file, out var done))
            {
                if (!done) throw new SchemaParseException($"{file.FileName}: files reference each other in a cycle ({string.Join(" -> ", path.Reverse())} -> {file.FileName})");
                return;
            }
            state[file] = false;
            path.Push(file.FileName);
            foreach (var name in file.References)
                if (definedBy.TryGetValue(name, out var dependency) && dependency != file) Visit(dependency, path);
            path.Pop();
            Schema schema;
            try
            {
                schema = Schema.Parse(file.Json, names, null);
            }
            catch (AvroException e)
            {
                throw new SchemaParseException($"{file.FileName}: {e.Message}", e);
            }
            loaded.Add(new SchemaFile(file.FileName, schema, file.Defines));
            state[file] = true;
        }
        foreach (var file in scanned) Visit(file, new Stack<string>());
        return loaded;
    }

    private sealed record Scanned(string FileName, string Json, IReadOnlyList<string> Defines, IReadOnlySet<string> References);

    // What a file defines (named types with their full names) and every string that could name a type; the
    // parser is the judge of validity, this only decides the order.
    private static Scanned Scan(string fileName, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new SchemaParseException($"{fileName}: not JSON: {e.Message}", e);
        }
        var defines = new List<string>();
        var references = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement node, string? enclosingNamespace)
        {
            switch (node.ValueKind)
            {
                case JsonValueKind.String:
                    var name = node.GetString()!;
                    references.Add(name);
                    if (!name.Contains('.') && enclosingNamespace is not null) references.Add($"{enclosingNamespace}.{name}");
                    break;
                case JsonValueKind.Array:
                    foreach (var item in node.EnumerateArray()) Walk(item, enclosingNamespace);
                    break;
                case JsonValueKind.Object:
                    var ns = enclosingNamespace;
                    if (node.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                        && type.GetString() is "record" or "error" or "enum" or "fixed"
                        && node.TryGetProperty("name", out var nameNode) && nameNode.ValueKind == JsonValueKind.String)
                    {
                        var own = nameNode.GetString()!;
                        if (node.TryGetProperty("namespace", out var nsNode) && nsNode.ValueKind == JsonValueKind.String) ns = nsNode.GetString();
                        var full = own.Contains('.') || string.IsNullOrEmpty(ns) ? own : $"{ns}.{own}";
                        defines.Add(full);
                        if (full.LastIndexOf('.') is var dot and > 0) ns = full[..dot];
                    }
                    foreach (var property in node.EnumerateObject())
                        if (property.Name is "type" or "items" or "values" or "fields") Walk(property.Value, ns);
                    break;
            }
        }
        Walk(document.RootElement, null);
        return new Scanned(fileName, json, defines, references);
    }
}
