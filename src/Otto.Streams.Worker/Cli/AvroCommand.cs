using System.CommandLine;
using System.Text;
using Otto.Streams.Avro;
using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Json;
using Otto.Streams.Avro.Schema;
using Otto.Streams.Avro.Serdes;

namespace Otto.Streams.Worker.Cli;

/// <summary>`otto avro to-json|from-json`: one datum between the Avro binary encoding (or the Confluent wire
/// format) on one side and the Avro JSON encoding on the other, stdin to stdout — the analogue of
/// kafka-avro-console-consumer/-producer for a single record.</summary>
public static class AvroCommand
{
    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var schema = new Option<string>("--schema") { Description = ".avsc file (types from other .avsc files in its directory may be used)" };
        var wireFormat = new Option<bool>("--wire-format") { Description = "Confluent framing: magic byte 0, 4-byte schema id, Avro body" };
        var registry = new Option<string>("--registry") { Description = "Schema Registry URL (with --wire-format)" };
        var subject = new Option<string>("--subject") { Description = "from-json --wire-format: the subject whose id to frame with" };
        var topic = new Option<string>("--topic") { Description = "from-json --wire-format: the topic; the subject is <topic>-value" };
        var pretty = new Option<bool>("--pretty") { Description = "Indent the JSON" };

        var toJson = new Command("to-json", "Read one binary datum on stdin, print its Avro JSON encoding") { schema, wireFormat, registry, pretty };
        toJson.Validators.Add(r => Validate(r, r.GetValue(schema) is not null, r.GetValue(wireFormat), r.GetValue(registry) is not null, needsSubject: false, hasSubject: true));
        toJson.SetAction((parse, ct) => AvroTool.Run(async () =>
        {
            var input = await ReadStdinAsync(ct);
            var readerSchema = parse.GetValue(schema) is { } file ? LoadSchema(file) : null;
            AvroBinaryReader body;
            AvroSchema writerSchema;
            if (parse.GetValue(wireFormat))
            {
                var id = WireFormat.ReadSchemaId(input);
                writerSchema = await FetchSchemaAsync(parse.GetValue(registry)!, id, ct);
                body = new AvroBinaryReader(input.AsMemory(WireFormat.HeaderSize));
            }
            else
            {
                writerSchema = readerSchema!;
                body = new AvroBinaryReader(input);
            }
            var reader = new GenericDatumReader(writerSchema, readerSchema ?? writerSchema);
            var value = reader.Read(body);
            body.EnsureAtEnd();
            Console.Out.WriteLine(AvroJson.Write(reader.ReaderSchema, value, parse.GetValue(pretty)));
            return 0;
        }));

        var fromJson = new Command("from-json", "Read one datum in the Avro JSON encoding on stdin, write its binary encoding to stdout")
        {
            schema, wireFormat, registry, subject, topic,
        };
        fromJson.Validators.Add(r => Validate(r, r.GetValue(schema) is not null, r.GetValue(wireFormat), r.GetValue(registry) is not null,
            needsSubject: true, hasSubject: r.GetValue(subject) is not null || r.GetValue(topic) is not null));
        fromJson.SetAction((parse, ct) => AvroTool.Run(async () =>
        {
            var writerSchema = LoadSchema(parse.GetValue(schema)!);
            var text = Encoding.UTF8.GetString(await ReadStdinAsync(ct));
            var value = AvroJson.Read(writerSchema, text);
            var output = new AvroBinaryWriter();
            if (parse.GetValue(wireFormat))
            {
                var subjectName = parse.GetValue(subject) ?? $"{parse.GetValue(topic)}-value";
                var registered = await AvroTool.Connect(parse.GetValue(registry)!).LookupAsync(subjectName, writerSchema.ToJson(), ct);
                WireFormat.WriteHeader(output, registered.Id);
            }
            new GenericDatumWriter(writerSchema).Write(output, value);
            using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(output.ToArray(), ct);
            return 0;
        }));

        return new Command("avro", "Convert one Avro datum between binary (or Confluent wire format) and the Avro JSON encoding") { toJson, fromJson };
    }

    private static void Validate(System.CommandLine.Parsing.CommandResult r, bool hasSchema, bool wire, bool hasRegistry, bool needsSubject, bool hasSubject)
    {
        if (wire && !hasRegistry) r.AddError("--wire-format needs --registry");
        if (!wire && hasRegistry) r.AddError("--registry is only used with --wire-format");
        if (!wire && !hasSchema) r.AddError("--schema is required (or --wire-format --registry to read the writer's schema)");
        if (needsSubject && !hasSchema) r.AddError("--schema is required");
        if (needsSubject && wire && !hasSubject) r.AddError("--wire-format needs --subject or --topic");
    }

    /// <summary>The top-level schema of an .avsc file, resolving named types from the other files beside it.</summary>
    private static AvroSchema LoadSchema(string path)
    {
        if (!File.Exists(path)) throw new AvroException($"schema file '{path}' does not exist");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var name = Path.GetFileName(path);
        var siblings = Directory.GetFiles(dir, "*.avsc").Select(p => (Path.GetFileName(p), File.ReadAllText(p)));
        return SchemaDirectory.Load(siblings).Single(f => f.FileName == name).Schema;
    }

    private static async Task<AvroSchema> FetchSchemaAsync(string url, int id, CancellationToken ct)
    {
        var json = await AvroTool.Connect(url).GetSchemaByIdAsync(id, ct);
        return AvroSchema.Parse(json);
    }

    private static async Task<byte[]> ReadStdinAsync(CancellationToken ct)
    {
        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        await stdin.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
