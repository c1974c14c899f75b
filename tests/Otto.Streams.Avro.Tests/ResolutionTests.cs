using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Tests;

/// <summary>Writer → reader schema resolution per the spec's "Schema Resolution" section.</summary>
public class ResolutionTests
{
    private static object? Resolve(string writerJson, string readerJson, object? value)
    {
        var writer = AvroSchema.Parse(writerJson);
        var buffer = new AvroBinaryWriter();
        new GenericDatumWriter(writer).Write(buffer, value is Func<AvroSchema, object?> make ? make(writer) : value);
        var reader = new AvroBinaryReader(buffer.ToArray());
        var result = new GenericDatumReader(writer, AvroSchema.Parse(readerJson)).Read(reader);
        Assert.Equal(0, reader.Remaining);
        return result;
    }

    [Theory]
    [InlineData("\"int\"", "\"long\"", 5, 5L)]
    [InlineData("\"int\"", "\"float\"", 5, 5f)]
    [InlineData("\"int\"", "\"double\"", -5, -5d)]
    [InlineData("\"long\"", "\"float\"", 1L << 40, (float)(1L << 40))]
    [InlineData("\"long\"", "\"double\"", -7L, -7d)]
    [InlineData("\"float\"", "\"double\"", 1.5f, 1.5d)]
    [InlineData("\"string\"", "\"string\"", "same", "same")]
    public void Primitive_promotions(string writer, string reader, object value, object expected) =>
        Assert.Equal(expected, Resolve(writer, reader, value));

    [Fact]
    public void String_and_bytes_promote_both_ways()
    {
        Assert.Equal("hé"u8.ToArray(), Resolve("\"string\"", "\"bytes\"", "hé"));
        Assert.Equal("hé", Resolve("\"bytes\"", "\"string\"", "hé"u8.ToArray()));
    }

    [Fact]
    public void Demotion_is_an_error()
    {
        var e = Assert.Throws<AvroException>(() => Resolve("\"long\"", "\"int\"", 1L));
        Assert.Contains("writer's long cannot be read as int", e.Message);
    }

    private const string V1 = """{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int"},{"name":"gone","type":{"type":"array","items":"string"}}]}""";

    [Fact]
    public void Record_fields_added_with_default_and_removed()
    {
        const string v2 = """{"type":"record","name":"R","namespace":"other","fields":[{"name":"added","type":{"type":"record","name":"Inner","fields":[{"name":"x","type":"int"}]},"default":{"x":3}},{"name":"a","type":"long"}]}""";
        var result = (GenericRecord)Resolve(V1, v2, (Func<AvroSchema, object?>)(s =>
        {
            var r = new GenericRecord((RecordSchema)s);
            r["a"] = 1;
            r["gone"] = new List<object?> { "x", "y" };
            return r;
        }))!;
        Assert.Equal(1L, result["a"]);
        Assert.Equal(3, ((GenericRecord)result["added"]!)["x"]);
    }

    [Fact]
    public void Reader_field_without_default_missing_in_writer_is_an_error()
    {
        const string v2 = """{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}""";
        var e = Assert.Throws<AvroException>(() => Resolve(V1, v2, (Func<AvroSchema, object?>)(s =>
        {
            var r = new GenericRecord((RecordSchema)s);
            r["a"] = 1;
            r["gone"] = new List<object?>();
            return r;
        })));
        Assert.Contains("reader field 'b' has no default", e.Message);
    }

    [Fact]
    public void Record_name_mismatch_is_an_error_unless_aliased()
    {
        const string w = """{"type":"record","name":"a.Old","fields":[]}""";
        Assert.Throws<AvroException>(() => Resolve(w, """{"type":"record","name":"New","fields":[]}""", (Func<AvroSchema, object?>)(s => new GenericRecord((RecordSchema)s))));
        var ok = Resolve(w, """{"type":"record","name":"New","aliases":["a.Old"],"fields":[]}""", (Func<AvroSchema, object?>)(s => new GenericRecord((RecordSchema)s)));
        Assert.IsType<GenericRecord>(ok);
    }

    [Fact]
    public void Field_aliases_match_writer_field_names()
    {
        const string w = """{"type":"record","name":"R","fields":[{"name":"old","type":"int"}]}""";
        const string r = """{"type":"record","name":"R","fields":[{"name":"renamed","type":"int","aliases":["old"]}]}""";
        var result = (GenericRecord)Resolve(w, r, (Func<AvroSchema, object?>)(s => new GenericRecord((RecordSchema)s) { ["old"] = 9 }))!;
        Assert.Equal(9, result["renamed"]);
    }

    private const string EnumW = """{"type":"enum","name":"E","symbols":["A","B","C"]}""";

    [Fact]
    public void Enum_symbol_missing_in_reader_uses_the_reader_default()
    {
        var result = (GenericEnum)Resolve(EnumW, """{"type":"enum","name":"E","symbols":["B","A"],"default":"A"}""", "C")!;
        Assert.Equal("A", result.Symbol);
        Assert.Equal("B", ((GenericEnum)Resolve(EnumW, """{"type":"enum","name":"E","symbols":["B","A"]}""", "B")!).Symbol);
    }

    [Fact]
    public void Enum_symbol_missing_without_default_is_an_error_when_read()
    {
        var e = Assert.Throws<AvroException>(() => Resolve(EnumW, """{"type":"enum","name":"E","symbols":["A","B"]}""", "C"));
        Assert.Contains("writer's symbol 'C'", e.Message);
    }

    [Fact]
    public void Reader_union_picks_the_first_matching_branch()
    {
        Assert.Equal(4, Resolve("\"int\"", """["null","string","int","long"]""", 4));
        Assert.Equal(4L, Resolve("\"int\"", """["null","long","double"]""", 4));
        Assert.Throws<AvroException>(() => Resolve("\"int\"", """["null","string"]""", 4));
    }

    [Fact]
    public void Writer_union_to_reader_non_union()
    {
        Assert.Equal("x", Resolve("""["null","string"]""", "\"string\"", "x"));
        var e = Assert.Throws<AvroException>(() => Resolve("""["null","string"]""", "\"string\"", null));
        Assert.Contains("writer's null cannot be read as string", e.Message);
    }

    [Fact]
    public void Writer_union_to_reader_union_with_promotion()
    {
        Assert.Null(Resolve("""["null","int"]""", """["long","null"]""", null));
        Assert.Equal(3L, Resolve("""["null","int"]""", """["long","null"]""", 3));
    }

    [Fact]
    public void Arrays_maps_and_fixed_resolve_their_items()
    {
        Assert.Equal(new List<object?> { 1L, 2L }, Resolve("""{"type":"array","items":"int"}""", """{"type":"array","items":"long"}""", new List<object?> { 1, 2 }));
        var map = (Dictionary<string, object?>)Resolve("""{"type":"map","values":"float"}""", """{"type":"map","values":"double"}""", new Dictionary<string, object?> { ["k"] = 0.5f })!;
        Assert.Equal(0.5d, map["k"]);
        Assert.Throws<AvroException>(() => Resolve("""{"type":"fixed","name":"F","size":2}""", """{"type":"fixed","name":"F","size":3}""", new byte[2]));
    }

    [Fact]
    public void Logical_types_follow_the_reader()
    {
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMilliseconds(5), Resolve("\"long\"", """{"type":"long","logicalType":"timestamp-millis"}""", 5L));
        Assert.Equal(1.5m, Resolve("""{"type":"bytes","logicalType":"decimal","precision":5,"scale":1}""", """{"type":"bytes","logicalType":"decimal","precision":5,"scale":1}""", 1.5m));
    }

    [Fact]
    public void Identical_schemas_resolve_without_problems()
    {
        var schema = Otto.Contracts.Otto.PaymentState.Schema;
        Assert.Empty(new GenericDatumReader(schema).ResolutionProblems);
    }
}
