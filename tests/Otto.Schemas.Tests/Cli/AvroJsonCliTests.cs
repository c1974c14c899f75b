using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry.Serdes;

namespace Otto.Schemas.Tests.Cli;

/// <summary>`otto avro to-json|from-json`, plain and in the Confluent wire format, run as processes.</summary>
public class AvroJsonCliTests(DevRegistryFixture registry) : IClassFixture<DevRegistryFixture>
{
    private static string PaymentAddedFile => Path.Combine(RepoPaths.Schemas, "PaymentAdded.avsc");

    private static Schema PaymentAdded => SchemaFiles.Load(RepoPaths.Schemas).Single(f => f.FileName == "PaymentAdded.avsc").Schema;

    private const string Json = """
        {"eventId":"evt-1","sourceSystem":"CPR","paymentId":"pay-1","occurredAt":1700000000123,"rail":"SEPA","debtorAccount":"DE001","creditorAccount":"FR002 – ünïcode","amount":"þ\u001DÀ","currency":"EUR","status":"PENDING","reference":null}
        """;

    [Fact]
    public void Json_to_binary_and_back_is_identical()
    {
        var binary = ToolProcess.Run(RepoPaths.Schemas, Json, "avro", "from-json", "--schema", PaymentAddedFile);
        Assert.True(binary.ExitCode == 0, binary.ToString());
        var json = ToolProcess.Run(RepoPaths.Schemas, binary.Stdout, "avro", "to-json", "--schema", "PaymentAdded.avsc");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Json), JsonNode.Parse(json.Output)), json.Output);
        Assert.EndsWith("\n", json.Output);

        var again = ToolProcess.Run(RepoPaths.Schemas, json.Stdout, "avro", "from-json", "--schema", PaymentAddedFile);
        Assert.Equal(Hex.Of(binary.Stdout), Hex.Of(again.Stdout));
        // The body is what Apache.Avro reads back in this process too: amount's bytes are code points 0-255.
        var record = (GenericRecord)new GenericDatumReader<GenericRecord>(PaymentAdded, PaymentAdded).Read(null!, new Avro.IO.BinaryDecoder(new MemoryStream(binary.Stdout)));
        Assert.Equal("pay-1", record["paymentId"]);
        Assert.Equal("-1234.56", ((AvroDecimal)record["amount"]).ToString(null, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Missing_fields_take_their_defaults()
    {
        var json = """{"eventId":"e1","paymentId":"p1","occurredAt":1763700000000,"status":"COMPLETED","reason":{"string":"settled"}}""";
        var file = Path.Combine(RepoPaths.Schemas, "PaymentStatusChanged.avsc");
        var binary = ToolProcess.Run(RepoPaths.Schemas, json, "avro", "from-json", "--schema", file);
        Assert.True(binary.ExitCode == 0, binary.ToString());
        var back = ToolProcess.Run(RepoPaths.Schemas, binary.Stdout, "avro", "to-json", "--schema", file);
        Assert.Equal("""{"eventId":"e1","sourceSystem":"CPR","paymentId":"p1","occurredAt":1763700000000,"status":"COMPLETED","reason":{"string":"settled"}}""" + "\n", back.Output);
    }

    [Fact]
    public async Task Wire_format_uses_the_registry_for_the_id_and_the_writer_schema()
    {
        registry.Server.Registry.Register("cli-json-value", PaymentAdded.ToString());
        var json = """{"eventId":"e","sourceSystem":"CPR","paymentId":"p","occurredAt":5,"rail":"INSTANT","debtorAccount":"d","creditorAccount":"c","amount":"\u0001","currency":"EUR","status":"ADDED","reference":{"string":"r"}}""";
        var framed = ToolProcess.Run(RepoPaths.Schemas, json, "avro", "from-json", "--schema", PaymentAddedFile,
            "--wire-format", "--registry", registry.Url, "--topic", "cli-json");
        Assert.True(framed.ExitCode == 0, framed.ToString());
        // Confluent's own deserializer reads the framing and the body.
        using var client = registry.Client();
        var value = await new AvroDeserializer<GenericRecord>(client).DeserializeAsync(framed.Stdout, false, new SerializationContext(MessageComponentType.Value, "cli-json"));
        Assert.Equal("p", value["paymentId"]);
        Assert.Equal("r", value["reference"]);

        // No --schema: printed with the writer's schema, fetched by id.
        var back = ToolProcess.Run(RepoPaths.Schemas, framed.Stdout, "avro", "to-json", "--wire-format", "--registry", registry.Url);
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Equal(json + "\n", back.Output);
    }

    [Fact]
    public void Wire_format_to_json_with_a_schema_resolves_the_writer_schema_to_it()
    {
        var statusChanged = SchemaFiles.Load(RepoPaths.Schemas).Single(f => f.FileName == "PaymentStatusChanged.avsc").Schema;
        var id = registry.Server.Registry.Register("cli-resolve-value", statusChanged.ToString());
        var json = """{"eventId":"e1","sourceSystem":"CPR","paymentId":"pay-1","occurredAt":1,"status":"COMPLETED","reason":null}""";
        var body = ToolProcess.Run(RepoPaths.Schemas, json, "avro", "from-json", "--schema", "PaymentStatusChanged.avsc");
        Assert.True(body.ExitCode == 0, body.ToString());
        var framed = new byte[] { 0, (byte)(id >> 24), (byte)(id >> 16), (byte)(id >> 8), (byte)id }.Concat(body.Stdout).ToArray();
        var dir = Directory.CreateTempSubdirectory("otto-resolve-").FullName;
        try
        {
            // The reader's file adds a field with a default and drops "reason", as a newer version might.
            File.WriteAllText(Path.Combine(dir, "Reader.avsc"), """
                {"type": "record", "name": "PaymentStatusChanged", "namespace": "Otto.Contracts.Cpr", "fields": [
                  {"name": "paymentId", "type": "string"},
                  {"name": "status", "type": {"type": "enum", "name": "PaymentStatus", "namespace": "Otto.Contracts",
                    "symbols": ["ADDED", "PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED"]}},
                  {"name": "channel", "type": "string", "default": "unknown"}]}
                """);
            var result = ToolProcess.Run(dir, framed, "avro", "to-json", "--schema", "Reader.avsc", "--wire-format", "--registry", registry.Url);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("""{"paymentId":"pay-1","status":"COMPLETED","channel":"unknown"}""" + "\n", result.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("", "truncated Avro data")]
    [InlineData("0a 61", "truncated Avro data")]
    public void Bad_binary_input_is_a_clear_error(string hex, string expected)
    {
        var result = ToolProcess.Run(RepoPaths.Schemas, Hex.Bytes(hex), "avro", "to-json", "--schema", PaymentAddedFile);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
    }

    [Fact]
    public void Bad_json_and_bad_framing_are_clear_errors()
    {
        var missing = ToolProcess.Run(RepoPaths.Schemas, """{"eventId":"e"}""", "avro", "from-json", "--schema", PaymentAddedFile);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("paymentId", missing.Stderr);
        var noStatus = ToolProcess.Run(RepoPaths.Schemas, Json.Replace("\"status\":\"PENDING\",", ""), "avro", "from-json", "--schema", PaymentAddedFile);
        Assert.True(noStatus.ExitCode == 2, noStatus.ToString());
        Assert.Contains("status", noStatus.Stderr);
        Assert.DoesNotContain("Unhandled", noStatus.Stderr);

        var magic = ToolProcess.Run(RepoPaths.Schemas, Hex.Bytes("0100000001"), "avro", "to-json", "--wire-format", "--registry", registry.Url);
        Assert.Equal(2, magic.ExitCode);
        Assert.Contains("magic byte 0x01", magic.Stderr);

        var unknown = ToolProcess.Run(RepoPaths.Schemas, Hex.Bytes("007fffffff00"), "avro", "to-json", "--wire-format", "--registry", registry.Url);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("40403", unknown.Stderr);

        var usage = ToolProcess.Run(RepoPaths.Schemas, "", "avro", "from-json", "--schema", PaymentAddedFile, "--wire-format", "--registry", registry.Url);
        Assert.NotEqual(0, usage.ExitCode);
        Assert.Contains("--subject or --topic", usage.Stderr);
    }
}
