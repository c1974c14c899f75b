using Otto.Contracts.Cpr;
using Otto.Streams.Avro.Serdes;
using Otto.Streams.Avro.Specific;

namespace Otto.Streams.Avro.Tests.Cli;

/// <summary>`otto avro to-json|from-json`, plain and in the Confluent wire format, run as processes.</summary>
public class AvroJsonCliTests(DevRegistryFixture registry) : IClassFixture<DevRegistryFixture>
{
    private static string PaymentAddedFile => Path.Combine(OttoProcess.RepoSchemas, "PaymentAdded.avsc");

    [Fact]
    public void Binary_to_json_and_back_is_byte_identical()
    {
        var bytes = AvroRecord.ToBytes(Samples.PaymentAdded());
        var json = OttoProcess.Run(OttoProcess.RepoSchemas, bytes, "avro", "to-json", "--schema", PaymentAddedFile);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal("""
            {"eventId":"evt-1","sourceSystem":"CPR","paymentId":"pay-1","occurredAt":1700000000123,"rail":"SEPA","debtorAccount":"DE001","creditorAccount":"FR002 – ünïcode","amount":"þ\u001DÀ","currency":"EUR","status":"PENDING","reference":null}
            """ + "\n", json.Output);

        var back = OttoProcess.Run(OttoProcess.RepoSchemas, json.Stdout, "avro", "from-json", "--schema", "PaymentAdded.avsc");
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Equal(Hex.Of(bytes), Hex.Of(back.Stdout));
    }

    [Fact]
    public void Wire_format_uses_the_registry_for_the_id_and_the_writer_schema()
    {
        registry.Server.Registry.Register("cli-json-value", PaymentAdded.Schema.ToJson());
        var json = """{"eventId":"e","sourceSystem":"CPR","paymentId":"p","occurredAt":5,"rail":"INSTANT","debtorAccount":"d","creditorAccount":"c","amount":"\u0001","currency":"EUR","status":"ADDED","reference":{"string":"r"}}""";
        var framed = OttoProcess.Run(OttoProcess.RepoSchemas, json, "avro", "from-json", "--schema", PaymentAddedFile,
            "--wire-format", "--registry", registry.Server.Url.ToString(), "--topic", "cli-json");
        Assert.True(framed.ExitCode == 0, framed.ToString());
        var serde = new AvroSerDes<PaymentAdded>(registry.Server.Registry, new AvroSerDesOptions { AutoRegisterSchemas = false });
        var value = serde.Deserialize(framed.Stdout, new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "cli-json"));
        Assert.Equal(0.01m, value.Amount);
        Assert.Equal("r", value.Reference);

        // No --schema: printed as the writer's schema, fetched by id.
        var back = OttoProcess.Run(OttoProcess.RepoSchemas, framed.Stdout, "avro", "to-json", "--wire-format", "--registry", registry.Server.Url.ToString());
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Equal(json + "\n", back.Output);
    }

    [Fact]
    public void Wire_format_to_json_with_a_schema_resolves_the_writer_schema_to_it()
    {
        // The registry has PaymentStatusChanged as written; the reader's file adds a field with a default and
        // drops "reason", as a newer version might.
        registry.Server.Registry.Register("cli-resolve-value", Otto.Contracts.Cpr.PaymentStatusChanged.Schema.ToJson());
        var serde = new AvroSerDes<Otto.Contracts.Cpr.PaymentStatusChanged>(registry.Server.Registry, new AvroSerDesOptions { AutoRegisterSchemas = false });
        var framed = serde.Serialize(Samples.PaymentStatusChanged(), new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, "cli-resolve"));
        var dir = Directory.CreateTempSubdirectory("otto-resolve-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "Reader.avsc"), """
                {"type": "record", "name": "PaymentStatusChanged", "namespace": "Otto.Contracts.Cpr", "fields": [
                  {"name": "paymentId", "type": "string"},
                  {"name": "status", "type": {"type": "enum", "name": "PaymentStatus", "namespace": "Otto.Contracts",
                    "symbols": ["ADDED", "PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED"]}},
                  {"name": "channel", "type": "string", "default": "unknown"}]}
                """);
            var json = OttoProcess.Run(dir, framed, "avro", "to-json", "--schema", "Reader.avsc", "--wire-format", "--registry", registry.Server.Url.ToString());
            Assert.True(json.ExitCode == 0, json.ToString());
            Assert.Equal("""{"paymentId":"pay-1","status":"COMPLETED","channel":"unknown"}""" + "\n", json.Output);
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
        var result = OttoProcess.Run(OttoProcess.RepoSchemas, Hex.Bytes(hex), "avro", "to-json", "--schema", PaymentAddedFile);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
    }

    [Fact]
    public void Bad_json_and_bad_framing_are_clear_errors()
    {
        var missing = OttoProcess.Run(OttoProcess.RepoSchemas, """{"eventId":"e"}""", "avro", "from-json", "--schema", PaymentAddedFile);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("missing field 'paymentId'", missing.Stderr);

        var magic = OttoProcess.Run(OttoProcess.RepoSchemas, Hex.Bytes("0100000001"), "avro", "to-json", "--wire-format", "--registry", registry.Server.Url.ToString());
        Assert.Equal(2, magic.ExitCode);
        Assert.Contains("magic byte 0x01", magic.Stderr);

        var unknown = OttoProcess.Run(OttoProcess.RepoSchemas, Hex.Bytes("007fffffff00"), "avro", "to-json", "--wire-format", "--registry", registry.Server.Url.ToString());
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("40403", unknown.Stderr);

        var usage = OttoProcess.Run(OttoProcess.RepoSchemas, "", "avro", "from-json", "--schema", PaymentAddedFile, "--wire-format", "--registry", "mock://x");
        Assert.NotEqual(0, usage.ExitCode);
        Assert.Contains("--subject or --topic", usage.Stderr);
    }
}
