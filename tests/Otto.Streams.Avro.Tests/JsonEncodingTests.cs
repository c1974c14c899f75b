using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Json;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Tests;

/// <summary>The spec's JSON encoding: its rules case by case, and random schemas and values checked against the
/// reference implementation (python3-avro has no JSON encoder, so the oracle maps the spec's JSON to its datums
/// by the spec's text and compares binary encodings and decoded datums).</summary>
public class JsonEncodingTests(PythonOracle python) : IClassFixture<PythonOracle>
{
    public static TheoryData<string, string> Cases => new()
    {
        { "\"null\"", "null" },
        { "\"boolean\"", "true" },
        { "\"int\"", "-2147483648" },
        { "\"long\"", "9223372036854775807" },
        { "\"float\"", "3.5" },
        { "\"double\"", "-1.5E+300" },
        { "\"double\"", "\"NaN\"" },
        { "\"float\"", "\"-Infinity\"" },
        { "\"string\"", "\"a\\\"b ☃ \\uD83D\\uDE00\"" },
        { "\"bytes\"", "\"\\u0000\\u0001ÿ\"" },
        { "{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}", "\"aÿ\"" },
        { "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}", "\"B\"" },
        { "{\"type\":\"array\",\"items\":\"int\"}", "[1,2]" },
        { "{\"type\":\"map\",\"values\":\"long\"}", "{\"b\":1,\"a\":2}" },
        { "[\"null\",\"string\"]", "null" },
        { "[\"null\",\"string\"]", "{\"string\":\"x\"}" },
        { "[\"int\",{\"type\":\"enum\",\"name\":\"E\",\"namespace\":\"n\",\"symbols\":[\"A\"]}]", "{\"n.E\":\"A\"}" },
        { "[{\"type\":\"map\",\"values\":\"int\"},{\"type\":\"array\",\"items\":\"int\"}]", "{\"array\":[1]}" },
        { "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":5,\"scale\":2}", "\"\\u0001\"" },
        { "{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}", "-1" },
        { "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"u\",\"type\":[\"null\",\"R\"]}]}", "{\"u\":{\"R\":{\"u\":null}}}" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Json_round_trips_exactly(string schemaJson, string json)
    {
        var schema = AvroSchema.Parse(schemaJson);
        var value = AvroJson.Read(schema, json);
        Assert.Equal(json, AvroJson.Write(schema, value));
        // And through the binary encoding.
        var bytes = new AvroBinaryWriter();
        new GenericDatumWriter(schema).Write(bytes, value);
        Assert.Equal(json, AvroJson.Write(schema, new GenericDatumReader(schema).Read(new AvroBinaryReader(bytes.ToArray()))));
    }

    [Fact]
    public void Absent_fields_take_their_defaults()
    {
        var schema = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":["null","string"],"default":null},{"name":"c","type":{"type":"array","items":"int"},"default":[7]}]}""");
        Assert.Equal("""{"a":1,"b":null,"c":[7]}""", AvroJson.Write(schema, AvroJson.Read(schema, """{"a":1}""")));
    }

    [Theory]
    [InlineData("\"int\"", "1.5", "$: 1.5 is not a 32-bit integer")]
    [InlineData("\"int\"", "2147483648", "is not a 32-bit integer")]
    [InlineData("\"bytes\"", "\"☃\"", "U+2603 is not a byte")]
    [InlineData("[\"null\",\"string\"]", "\"x\"", "must be an object with one member")]
    [InlineData("[\"null\",\"string\"]", "{\"int\":1}", "'int' is not a branch of the union (null, string)")]
    [InlineData("[\"int\",\"string\"]", "null", "null is not a branch")]
    [InlineData("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}", "\"Z\"", "'Z' is not a symbol of E")]
    [InlineData("{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}", "\"a\"", "needs 2 bytes, got 1")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}", "{}", "missing field 'a'")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}", "{\"a\":1,\"b\":2}", "has no field 'b'")]
    [InlineData("{\"type\":\"map\",\"values\":\"int\"}", "{\"k\":\"v\"}", "at $.k: expected an int")]
    [InlineData("\"string\"", "{", "not valid JSON")]
    public void Json_that_does_not_fit_the_schema_is_an_error_naming_the_path(string schemaJson, string json, string expected)
    {
        var e = Assert.Throws<AvroException>(() => AvroJson.Read(AvroSchema.Parse(schemaJson), json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Random_schemas_and_values_agree_with_the_reference_implementation_both_ways()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new RandomAvro(seed);
            var schemaJson = random.Schema(depth: 3);
            var schema = AvroSchema.Parse(schemaJson);
            var value = random.Value(schema);
            var ours = new AvroBinaryWriter();
            new GenericDatumWriter(schema).Write(ours, value);
            var json = AvroJson.Write(schema, value);
            var context = $"seed {seed}: schema {schemaJson}\nJSON {json}";

            // Ours: JSON → value → bytes is stable, and bytes → value → JSON gives the same JSON.
            var fromJson = new AvroBinaryWriter();
            new GenericDatumWriter(schema).Write(fromJson, AvroJson.Read(schema, json));
            Assert.True(Hex.Of(ours.WrittenSpan) == Hex.Of(fromJson.WrittenSpan), $"{context}\nJSON re-encoded differs: {Hex.Of(ours.WrittenSpan)} vs {Hex.Of(fromJson.WrittenSpan)}");
            var reader = new AvroBinaryReader(ours.ToArray());
            var decodedJson = AvroJson.Write(schema, new GenericDatumReader(schema).Read(reader));
            Assert.True(json == decodedJson, $"{context}\ndecoded JSON differs: {decodedJson}");
            reader.EnsureAtEnd();

            // Theirs: the JSON read by the spec's rules encodes to our bytes, and our bytes decode to that datum.
            var theirs = python.Call(new { op = "avro_json", schema = schemaJson, json, hex = Hex.Of(ours.WrittenSpan) });
            Assert.True(Hex.Of(ours.WrittenSpan) == theirs["hex"]!.GetValue<string>(), $"{context}\nours   {Hex.Of(ours.WrittenSpan)}\ntheirs {theirs["hex"]}");
            Assert.True(theirs["same"]!.GetValue<bool>(), $"{context}\nthe reference implementation decodes our bytes to another datum");
        }
    }
}
