using Otto.Streams.Avro.Json;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Tests;

/// <summary>AvroJson's readable style (the worker's HTTP answers): union values bare, logical types as text; the
/// rest as the spec's JSON encoding.</summary>
public class ReadableJsonTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // schema, the spec's JSON encoding, the readable style
        { "[\"null\",\"string\"]", "{\"string\":\"EUR\"}", "\"EUR\"" },
        { "[\"null\",\"string\"]", "null", "null" },
        { "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":5,\"scale\":2}", "\"\\u0001\"", "\"0.01\"" },
        { "{\"type\":\"fixed\",\"name\":\"D\",\"size\":4,\"logicalType\":\"decimal\",\"precision\":6,\"scale\":2}", "\"\\u0000\\u0000\\u0004\\u001A\"", "\"10.50\"" },
        { "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":5,\"scale\":2}", "\"ÿ\"", "\"-0.01\"" },
        { "{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}", "1795237423281", "\"2026-11-21T05:03:43.281Z\"" },
        { "[\"null\",{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}]", "{\"long\":0}", "\"1970-01-01T00:00:00Z\"" },
        { "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}", "1000001", "\"1970-01-01T00:00:01.000001Z\"" },
        { "{\"type\":\"int\",\"logicalType\":\"date\"}", "1", "\"1970-01-02\"" },
        { "{\"type\":\"int\",\"logicalType\":\"time-millis\"}", "3723004", "\"01:02:03.004\"" },
        { "{\"type\":\"string\",\"logicalType\":\"uuid\"}", "\"0a5f3c9e-0000-4000-8000-000000000001\"", "\"0a5f3c9e-0000-4000-8000-000000000001\"" },
        { "{\"type\":\"long\"}", "7", "7" },
        { "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}", "\"B\"", "\"B\"" },
        {
            "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":[\"null\",\"int\"]}},{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":[\"string\",\"long\"]}}]}",
            "{\"a\":[null,{\"int\":1}],\"m\":{\"k\":{\"long\":2}}}", "{\"a\":[null,1],\"m\":{\"k\":2}}"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Readable_style_unwraps_unions_and_writes_logical_types_as_text(string schemaJson, string specJson, string readable)
    {
        var schema = AvroSchema.Parse(schemaJson);
        var value = AvroJson.Read(schema, specJson);
        Assert.Equal(readable, AvroJson.Write(schema, value, readable: true));
        Assert.Equal(specJson, AvroJson.Write(schema, value));
    }
}
