using System.Buffers.Binary;
using System.CommandLine;
using System.Text;
using Avro;
using Avro.Generic;
using Avro.IO;

namespace Otto.Schemas.Cli;

/// <summary>`otto avro to-json|from-json`: one datum between the Avro binary encoding (or the Confluent wire
/// format) and the Avro JSON encoding, stdin to stdout, on Apache.Avro's <see cref="JsonEncoder"/> and
/// <see cref="JsonDecoder"/> — the analogue of kafka-avro-console-consumer/-producer for a single record.</summary>
public static class AvroCommand
{
    private const int HeaderSize = 5;

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var schema = new Option<string>("--schema") { Description = ".avsc file (types from other .avsc files in its directory may be used)" };
        var wireFormat = new Option<bool>("--wire-format") { Description = "Confluent framing: magic byte 0, 4-byte big-endian schema id, Avro body" };
        var registry = new Option<string>("--registry") { Description = "Schema Registry URL (with --wire-format)" };
        var subject = new Option<string>("--subject") { Description = "from-json --wire-format: the subject whose id to frame with" };
        var topic = new Option<string>("--topic") { Description = "from-json --wire-format: the topic; the subject is <topic>-value" };
        var pretty = new Option<bool>("--pretty") { Description = "Indent the JSON" };

        var toJson = new Command("to-json", "Read one binary datum on stdin, print its Avro JSON encoding") { schema, wireFormat, registry, pretty };
        toJson.Validators.Add(r => Validate(r, r.GetValue(schema) is not null, r.GetValue(wireFormat), r.GetValue(registry) is not null, needsSubject: false, hasSubject: true));
        toJson.SetAction((parse, ct) => ToolRun.Run(async () =>
        {
            var input = await ReadStdinAsync(ct);
            var readerSchema = parse.GetValue(schema) is { } file ? LoadSchema(file) : null;
            Schema writerSchema;
            var body = input.AsMemory();
            if (parse.GetValue(wireFormat))
            {
                var id = ReadSchemaId(input);
                using var connection = new RegistryConnection(parse.GetValue(registry)!);
                writerSchema = Schema.Parse((await connection.Client.GetSchemaAsync(id)).SchemaString);
                body = body[HeaderSize..];
            }
            else
            {
                writerSchema = readerSchema!;
            }
            var resolved = readerSchema ?? writerSchema;
            object datum;
            using (var stream = new MemoryStream(body.ToArray(), writable: false))
            {
                try
                {
                    datum = new GenericDatumReader<object>(writerSchema, resolved).Read(null!, new BinaryDecoder(stream));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new ToolException($"truncated Avro data or not {Describe(writerSchema)}: {e.Message}");
                }
                if (stream.Position != stream.Length)
                    throw new ToolException($"{stream.Length - stream.Position} bytes left after one datum of {Describe(writerSchema)}");
            }
            using var output = new MemoryStream();
            var encoder = new JsonEncoder(resolved, output, parse.GetValue(pretty));
            new GenericDatumWriter<object>(resolved).Write(datum, encoder);
            encoder.Flush();
            Console.Out.WriteLine(Encoding.UTF8.GetString(output.ToArray()));
            return 0;
        }));

        var fromJson = new Command("from-json", "Read one datum in the Avro JSON encoding on stdin, write its binary encoding to stdout")
        {
            schema, wireFormat, registry, subject, topic,
        };
        fromJson.Validators.Add(r => Validate(r, r.GetValue(schema) is not null, r.GetValue(wireFormat), r.GetValue(registry) is not null,
            needsSubject: true, hasSubject: r.GetValue(subject) is not null || r.GetValue(topic) is not null));
        fromJson.SetAction((parse, ct) => ToolRun.Run(async () =>
        {
            var writerSchema = LoadSchema(parse.GetValue(schema)!);
            var text = Encoding.UTF8.GetString(await ReadStdinAsync(ct));
            object datum;
            try
            {
                var filled = JsonDefaults.Fill(writerSchema, System.Text.Json.Nodes.JsonNode.Parse(text))?.ToJsonString() ?? "null";
                datum = new GenericDatumReader<object>(writerSchema, writerSchema).Read(null!, new JsonDecoder(writerSchema, filled));
            }
            catch (KeyNotFoundException e)
            {
                // Apache.Avro's JsonDecoder looks a field up in what it has buffered and does not say what is missing.
                throw new ToolException($"not a {Describe(writerSchema)} in the Avro JSON encoding: a field without a default is missing ({e.Message})");
            }
            catch (Exception e) when (e is not OutOfMemoryException and not ToolException)
            {
                throw new ToolException($"not a {Describe(writerSchema)} in the Avro JSON encoding: {e.Message}");
            }
            using var output = new MemoryStream();
            if (parse.GetValue(wireFormat))
            {
                var subjectName = parse.GetValue(subject) ?? $"{parse.GetValue(topic)}-value";
                using var connection = new RegistryConnection(parse.GetValue(registry)!);
                var registered = await connection.Client.LookupSchemaAsync(subjectName,
                    new Confluent.SchemaRegistry.Schema(writerSchema.ToString(), Confluent.SchemaRegistry.SchemaType.Avro), ignoreDeletedSchemas: true, normalize: false);
                var header = new byte[HeaderSize];
                BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(1), registered.Id);
                output.Write(header);
            }
            new GenericDatumWriter<object>(writerSchema).Write(datum, new BinaryEncoder(output));
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

    private static int ReadSchemaId(byte[] input)
    {
        if (input.Length < HeaderSize) throw new ToolException($"not the Confluent wire format: {input.Length} bytes, the header alone is {HeaderSize}");
        if (input[0] != 0) throw new ToolException($"not the Confluent wire format: magic byte 0x{input[0]:x2}, expected 0x00");
        return BinaryPrimitives.ReadInt32BigEndian(input.AsSpan(1, 4));
    }

    private static string Describe(Schema schema) => schema is NamedSchema named ? named.Fullname : schema.Tag.ToString().ToLowerInvariant();

    /// <summary>The top-level schema of an .avsc file, resolving named types from the other files beside it.</summary>
    private static Schema LoadSchema(string path)
    {
        if (!File.Exists(path)) throw new ToolException($"schema file '{path}' does not exist");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var name = Path.GetFileName(path);
        return SchemaFiles.Load(dir).Single(f => f.FileName == name).Schema;
    }

    private static async Task<byte[]> ReadStdinAsync(CancellationToken ct)
    {
        using var stdin = Console.OpenStandardInput();
        using var buffer = new MemoryStream();
        await stdin.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
