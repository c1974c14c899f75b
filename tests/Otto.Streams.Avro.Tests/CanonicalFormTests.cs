using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Tests;

public class CanonicalFormTests
{
    // Values from the Avro specification's reference test data (share/test/data/schema-tests.txt).
    [Theory]
    [InlineData("\"null\"", 7195948357588979594L)]
    [InlineData("\"int\"", 8247732601305521295L)]
    [InlineData("{\"type\":\"int\"}", 8247732601305521295L)]
    [InlineData("\"string\"", -8142146995180207161L)]
    public void Fingerprints_of_primitives_match_the_spec(string json, long fingerprint) =>
        Assert.Equal(fingerprint, AvroSchema.Parse(json).Fingerprint);

    [Fact]
    public void Empty_input_fingerprint_is_the_seed() =>
        Assert.Equal(unchecked((long)RabinFingerprint.Empty), RabinFingerprint.Compute([]));

    [Fact]
    public void Canonical_form_strips_orders_and_uses_full_names()
    {
        var schema = AvroSchema.Parse("""
            {"namespace":"a","doc":"x","type":"record","name":"R","aliases":["Q"],"fields":[
              {"type":{"type":"long","logicalType":"timestamp-millis"},"name":"t","default":0,"doc":"d"},
              {"name":"e","type":{"symbols":["X"],"type":"enum","name":"E","default":"X"}},
              {"name":"e2","type":"E"},
              {"name":"m","type":{"values":"int","type":"map"}}]}
            """);
        Assert.Equal(
            """{"name":"a.R","type":"record","fields":[{"name":"t","type":"long"},{"name":"e","type":{"name":"a.E","type":"enum","symbols":["X"]}},{"name":"e2","type":"a.E"},{"name":"m","type":{"type":"map","values":"int"}}]}""",
            schema.ToCanonicalForm());
    }

    [Fact]
    public void Docs_and_defaults_do_not_change_the_fingerprint()
    {
        var a = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"f","type":"int"}]}""");
        var b = AvroSchema.Parse("""{"type":"record","name":"R","doc":"x","fields":[{"name":"f","type":"int","default":1}]}""");
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"f","type":"long"}]}""").Fingerprint);
    }
}
