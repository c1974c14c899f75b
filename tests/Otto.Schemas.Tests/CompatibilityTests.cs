using Avro;
using Otto.Schemas.Compatibility;

namespace Otto.Schemas.Tests;

/// <summary>Confluent's levels on Apache.Avro's schema resolution, and the reasons given for a refusal.</summary>
public class CompatibilityTests
{
    private static readonly Schema V1 = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""");
    private static readonly Schema AddedWithDefault = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":""}]}""");
    private static readonly Schema AddedWithoutDefault = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}""");
    private static readonly Schema Widened = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}""");

    private static IReadOnlyList<string> Check(CompatibilityLevel level, Schema candidate, params Schema[] history) =>
        SchemaCompatibility.Check(level, candidate, history);

    [Fact]
    public void Backward_allows_fields_added_with_default_and_promotions()
    {
        Assert.Empty(Check(CompatibilityLevel.Backward, AddedWithDefault, V1));
        Assert.Empty(Check(CompatibilityLevel.Backward, Widened, V1));
        Assert.Equal(["new schema cannot read old data: R.b: reader field 'b' has no default and the writer's R lacks it"],
            Check(CompatibilityLevel.Backward, AddedWithoutDefault, V1));
        Assert.Equal(["new schema cannot read old data: R.a: writer's long cannot be read as int"], Check(CompatibilityLevel.Backward, V1, Widened));
    }

    [Fact]
    public void Forward_and_full_swap_reader_and_writer()
    {
        Assert.Empty(Check(CompatibilityLevel.Forward, AddedWithoutDefault, V1));
        Assert.Equal(["old schema cannot read new data: R.a: writer's long cannot be read as int"], Check(CompatibilityLevel.Forward, Widened, V1));
        Assert.Empty(Check(CompatibilityLevel.Full, AddedWithDefault, V1));
        Assert.NotEmpty(Check(CompatibilityLevel.Full, AddedWithoutDefault, V1));
        Assert.NotEmpty(Check(CompatibilityLevel.Full, Widened, V1));
    }

    [Fact]
    public void Transitive_checks_every_version()
    {
        // Reads the latest version (a int, b string) but not V1, which lacks b.
        var next = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}""");
        Assert.Empty(Check(CompatibilityLevel.Backward, next, V1, AddedWithoutDefault));
        var problems = SchemaCompatibility.Check(CompatibilityLevel.BackwardTransitive, next, [("v1", V1), ("v2", AddedWithoutDefault)]);
        Assert.Equal(["against v1: new schema cannot read old data: R.b: reader field 'b' has no default and the writer's R lacks it"], problems);

        // FORWARD_TRANSITIVE: every earlier version must read the new one.
        var aDefaulted = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":0},{"name":"b","type":"string"}]}""");
        var dropsA = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"b","type":"string"}]}""");
        Assert.Empty(Check(CompatibilityLevel.Forward, dropsA, V1, aDefaulted));
        Assert.Equal(["old schema cannot read new data: R.a: reader field 'a' has no default and the writer's R lacks it"],
            Check(CompatibilityLevel.ForwardTransitive, dropsA, V1, aDefaulted));
        Assert.NotEmpty(Check(CompatibilityLevel.FullTransitive, AddedWithDefault, Widened, V1));
        Assert.Empty(Check(CompatibilityLevel.Full, AddedWithDefault, Widened, V1));
    }

    [Fact]
    public void None_accepts_anything() =>
        Assert.Empty(Check(CompatibilityLevel.None, Schema.Parse("\"string\""), V1));

    [Fact]
    public void Enum_without_default_losing_a_symbol_is_backward_incompatible()
    {
        var e1 = Schema.Parse("""{"type":"enum","name":"E","symbols":["A","B"]}""");
        var e2 = Schema.Parse("""{"type":"enum","name":"E","symbols":["A"]}""");
        var e2d = Schema.Parse("""{"type":"enum","name":"E","symbols":["A"],"default":"A"}""");
        // Apache.Avro's CanRead leaves symbols to read time; the registry refuses the schema.
        Assert.True(e2.CanRead(e1));
        Assert.Equal(["new schema cannot read old data: E: writer's symbol 'B' is not in the reader's enum E, which has no default"],
            Check(CompatibilityLevel.Backward, e2, e1));
        Assert.Empty(Check(CompatibilityLevel.Backward, e2d, e1));
        Assert.Empty(Check(CompatibilityLevel.Forward, e2, e1));
    }

    [Fact]
    public void Making_a_field_nullable_is_backward_compatible_but_not_forward()
    {
        var nullable = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":["null","int"],"default":null}]}""");
        Assert.Empty(Check(CompatibilityLevel.Backward, nullable, V1));
        Assert.Equal(["old schema cannot read new data: R.a: writer's null cannot be read as int"], Check(CompatibilityLevel.Forward, nullable, V1));
    }

    [Fact]
    public void Union_branches_removed_are_named()
    {
        var wide = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"u","type":["null","int","string"]}]}""");
        var narrow = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"u","type":["null","long"]}]}""");
        Assert.Equal(["new schema cannot read old data: R.u: the writer's union branch string is not among the reader's branches [null, long]"],
            Check(CompatibilityLevel.Backward, narrow, wide));
        Assert.Equal(["old schema cannot read new data: R.u: the writer's union branch long is not among the reader's branches [null, int, string]"],
            Check(CompatibilityLevel.Forward, narrow, wide));
    }

    [Fact]
    public void A_named_type_renamed_needs_an_alias()
    {
        var renamed = Schema.Parse("""{"type":"record","name":"S","fields":[{"name":"a","type":"int"}]}""");
        var aliased = Schema.Parse("""{"type":"record","name":"S","aliases":["R"],"fields":[{"name":"a","type":"int"}]}""");
        Assert.Equal(["new schema cannot read old data: S: the writer's record R is read as S, which has no alias 'R' (a named type renamed without an alias)"],
            Check(CompatibilityLevel.Backward, renamed, V1));
        Assert.Empty(Check(CompatibilityLevel.Backward, aliased, V1));
    }

    [Fact]
    public void A_field_renamed_with_an_alias_reads_the_old_name()
    {
        var renamed = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"z","type":"int","aliases":["a"]}]}""");
        Assert.Empty(Check(CompatibilityLevel.Backward, renamed, V1));
    }

    [Fact]
    public void Nested_types_report_their_path_and_fixed_sizes()
    {
        var v1 = Schema.Parse("""{"type":"record","name":"R","namespace":"n","fields":[{"name":"items","type":{"type":"array","items":{"type":"record","name":"I","fields":[{"name":"f","type":{"type":"fixed","name":"F","size":4}}]}}}]}""");
        var v2 = Schema.Parse("""{"type":"record","name":"R","namespace":"n","fields":[{"name":"items","type":{"type":"array","items":{"type":"record","name":"I","fields":[{"name":"f","type":{"type":"fixed","name":"F","size":8}}]}}}]}""");
        Assert.Equal(["new schema cannot read old data: R.items[].f: fixed n.F has size 8, the writer's 4"], Check(CompatibilityLevel.Backward, v2, v1));
    }

    [Fact]
    public void Recursive_schemas_terminate()
    {
        var list = Schema.Parse("""{"type":"record","name":"L","fields":[{"name":"v","type":"int"},{"name":"next","type":["null","L"]}]}""");
        var list2 = Schema.Parse("""{"type":"record","name":"L","fields":[{"name":"v","type":"long"},{"name":"next","type":["null","L"]}]}""");
        Assert.Empty(Check(CompatibilityLevel.Backward, list2, list));
        Assert.NotEmpty(Check(CompatibilityLevel.Forward, list2, list));
    }

    [Theory]
    [InlineData("backward", CompatibilityLevel.Backward)]
    [InlineData("FULL_TRANSITIVE", CompatibilityLevel.FullTransitive)]
    [InlineData("None", CompatibilityLevel.None)]
    public void Levels_parse_by_their_registry_names(string name, CompatibilityLevel level)
    {
        Assert.Equal(level, CompatibilityLevels.Parse(name));
        Assert.Equal(name.ToUpperInvariant(), level.ToWireName());
        Assert.Throws<AvroException>(() => CompatibilityLevels.Parse("SIDEWAYS"));
    }

    [Fact]
    public void Every_repository_schema_reads_itself()
    {
        foreach (var file in SchemaFiles.Load(RepoPaths.Schemas))
            Assert.Empty(SchemaCompatibility.Check(CompatibilityLevel.FullTransitive, file.Schema, [file.Schema]));
    }
}
