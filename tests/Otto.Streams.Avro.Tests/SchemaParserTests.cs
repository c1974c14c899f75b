using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Tests;

public class SchemaParserTests
{
    [Theory]
    [InlineData("""{"type":"record","name":"PaymentAdded","fields":[{"name":"a","type":"int"},{"name":"b","type":"Foo"}]}""", "PaymentAdded.fields[1].type: unknown type 'Foo'")]
    [InlineData("""{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":["int","int"]}}]}""", "R.fields[0].type.items[1]: duplicate union branch 'int'")]
    [InlineData("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}""", "R.fields[1].name: duplicate field name 'a'")]
    [InlineData("""{"type":"enum","name":"E","symbols":["A","A"]}""", "E.symbols[1]: duplicate symbol 'A'")]
    [InlineData("""{"type":"enum","name":"E","symbols":["A"],"default":"B"}""", "E.default: 'B' is not one of the symbols")]
    [InlineData("""{"type":"record","name":"R","fields":[{"name":"a","type":["null","int"],"default":1}]}""", "R.fields[0].default: invalid default: expected null, got Number")]
    [InlineData("""{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}""", "R.fields[0].default: invalid default: expected an int, got String")]
    [InlineData("""{"type":"record","name":"9R","fields":[]}""", "9R.name: invalid name '9R'")]
    [InlineData("""{"type":"fixed","name":"F"}""", "F: missing 'size'")]
    [InlineData("""["int",["string"]]""", "schema[1]: a union may not immediately contain another union")]
    [InlineData("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":{"type":"enum","name":"R","symbols":["X"]}}]}""", "R.fields[1].type.name: 'R' is already defined")]
    [InlineData("not json", "schema: not valid JSON")]
    public void Errors_name_the_offending_path(string json, string expected)
    {
        var e = Assert.Throws<AvroSchemaException>(() => AvroSchema.Parse(json));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Namespaces_follow_the_spec()
    {
        var r = (RecordSchema)AvroSchema.Parse("""
            {"type":"record","name":"R","namespace":"a.b","fields":[
              {"name":"x","type":{"type":"enum","name":"E","symbols":["A"]}},
              {"name":"y","type":{"type":"fixed","name":"c.F","size":1}},
              {"name":"z","type":{"type":"record","name":"N","namespace":"","fields":[{"name":"e","type":"a.b.E"}]}},
              {"name":"w","type":"E"}]}
            """);
        Assert.Equal("a.b.E", ((NamedSchema)r.Fields[0].Schema).FullName);
        Assert.Equal("c.F", ((NamedSchema)r.Fields[1].Schema).FullName);
        Assert.Equal("N", ((NamedSchema)r.Fields[2].Schema).FullName);
        Assert.Same(r.Fields[0].Schema, r.Fields[3].Schema);
    }

    [Fact]
    public void Named_types_from_earlier_parses_are_referenced_by_full_name()
    {
        var names = new SchemaNames();
        AvroSchema.Parse("""{"type":"enum","name":"S","namespace":"x","symbols":["A"]}""", names);
        var r = (RecordSchema)AvroSchema.Parse("""{"type":"record","name":"R","namespace":"y","fields":[{"name":"s","type":"x.S"}]}""", names);
        Assert.Equal("x.S", ((EnumSchema)r.Fields[0].Schema).FullName);
        Assert.True(names.Contains("y.R"));
    }

    [Fact]
    public void A_failed_parse_defines_nothing_so_it_can_be_retried()
    {
        var names = new SchemaNames();
        const string dependent = """{"type":"record","name":"R","fields":[{"name":"n","type":{"type":"enum","name":"Nested","symbols":["A"]}},{"name":"s","type":"S"}]}""";
        var e = Assert.Throws<AvroSchemaException>(() => AvroSchema.Parse(dependent, names));
        Assert.Equal("S", e.UnknownTypeName);
        Assert.Empty(names.All);
        AvroSchema.Parse("""{"type":"enum","name":"S","symbols":["A"]}""", names);
        AvroSchema.Parse(dependent, names);
        Assert.True(names.Contains("Nested"));
    }

    [Fact]
    public void Recursive_records_parse_and_print()
    {
        var schema = AvroSchema.Parse("""{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""");
        Assert.Equal("""{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""", schema.ToJson());
    }

    [Fact]
    public void ToJson_round_trips_docs_defaults_aliases_and_logical_types()
    {
        const string json = """{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2},"doc":"amount","default":"\u0000"},{"name":"b","type":{"type":"long","logicalType":"timestamp-millis"},"aliases":["bb"]},{"name":"c","type":{"type":"string","logicalType":"uuid"}}],"doc":"d","aliases":["n.Old"]}""";
        var schema = AvroSchema.Parse(json);
        Assert.Equal(schema.ToJson(), AvroSchema.Parse(schema.ToJson()).ToJson());
        Assert.Contains("\"logicalType\":\"decimal\",\"precision\":9,\"scale\":2", schema.ToJson());
        Assert.Contains("\"aliases\":[\"bb\"]", schema.ToJson());
        Assert.Equal(0m, ((RecordSchema)schema).Fields[0].DefaultValue);
    }

    [Fact]
    public void Invalid_logical_types_fall_back_to_the_underlying_type()
    {
        Assert.Null(AvroSchema.Parse("""{"type":"bytes","logicalType":"decimal","precision":2,"scale":3}""").LogicalType);
        Assert.Null(AvroSchema.Parse("""{"type":"int","logicalType":"timestamp-millis"}""").LogicalType);
        Assert.Null(AvroSchema.Parse("""{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":10}""").LogicalType);
        Assert.Equal(new LogicalType("decimal", 4, 0), AvroSchema.Parse("""{"type":"fixed","name":"F","size":2,"logicalType":"decimal","precision":4}""").LogicalType);
    }

    [Fact]
    public void Every_repository_schema_parses_in_any_order()
    {
        var files = Directory.GetFiles(RepoSchemas.Dir, "*.avsc");
        var pending = files.Reverse().ToList();
        var names = new SchemaNames();
        for (var round = 0; pending.Count > 0 && round < files.Length; round++)
        {
            foreach (var f in pending.ToList())
            {
                try
                {
                    AvroSchema.Parse(File.ReadAllText(f), names);
                    pending.Remove(f);
                }
                catch (AvroSchemaException e) when (e.UnknownTypeName is not null)
                {
                }
            }
        }
        Assert.Empty(pending);
        Assert.True(names.All.Count > files.Length, $"{names.All.Count} named types from {files.Length} files"); // nested types count too
    }
}
