using Otto.Streams.Avro.Registry;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Tests;

public class CompatibilityTests
{
    private static readonly AvroSchema V1 = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}""");
    private static readonly AvroSchema AddedWithDefault = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string","default":""}]}""");
    private static readonly AvroSchema AddedWithoutDefault = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}""");
    private static readonly AvroSchema Widened = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}""");

    [Fact]
    public void Backward_allows_fields_added_with_default_and_promotions()
    {
        Assert.Empty(AvroCompatibility.Check(CompatibilityLevel.Backward, AddedWithDefault, [V1]));
        Assert.Empty(AvroCompatibility.Check(CompatibilityLevel.Backward, Widened, [V1]));
        Assert.NotEmpty(AvroCompatibility.Check(CompatibilityLevel.Backward, AddedWithoutDefault, [V1]));
        Assert.NotEmpty(AvroCompatibility.Check(CompatibilityLevel.Backward, V1, [Widened]));
    }

    [Fact]
    public void Forward_and_full_swap_reader_and_writer()
    {
        Assert.Empty(AvroCompatibility.Check(CompatibilityLevel.Forward, AddedWithoutDefault, [V1]));
        Assert.NotEmpty(AvroCompatibility.Check(CompatibilityLevel.Forward, Widened, [V1]));
        Assert.Empty(AvroCompatibility.Check(CompatibilityLevel.Full, AddedWithDefault, [V1]));
        Assert.NotEmpty(AvroCompatibility.Check(CompatibilityLevel.Full, AddedWithoutDefault, [V1]));
    }

    [Fact]
    public void Transitive_checks_every_version()
    {
        // Reads the latest version (a int, b string) but not V1, which lacks b.
        var next = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"long"},{"name":"b","type":"string"}]}""");
        Assert.Empty(AvroCompatibility.Check(CompatibilityLevel.Backward, next, [V1, AddedWithoutDefault]));
        Assert.NotEmpty(AvroCompatibility.Check(CompatibilityLevel.BackwardTransitive, next, [V1, AddedWithoutDefault]));
    }

    [Fact]
    public void None_accepts_anything() =>
        Assert.Empty(AvroCompatibility.Check(CompatibilityLevel.None, AvroSchema.Parse("\"string\""), [V1]));

    [Fact]
    public void Enum_without_default_losing_a_symbol_is_backward_incompatible()
    {
        var e1 = AvroSchema.Parse("""{"type":"enum","name":"E","symbols":["A","B"]}""");
        var e2 = AvroSchema.Parse("""{"type":"enum","name":"E","symbols":["A"]}""");
        var e2d = AvroSchema.Parse("""{"type":"enum","name":"E","symbols":["A"],"default":"A"}""");
        Assert.NotEmpty(AvroCompatibility.Check(CompatibilityLevel.Backward, e2, [e1]));
        Assert.Empty(AvroCompatibility.Check(CompatibilityLevel.Backward, e2d, [e1]));
    }

    [Fact]
    public void Making_a_field_nullable_is_backward_compatible()
    {
        var nullable = AvroSchema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":["null","int"],"default":null}]}""");
        Assert.Empty(AvroCompatibility.Check(CompatibilityLevel.Backward, nullable, [V1]));
        Assert.NotEmpty(AvroCompatibility.Check(CompatibilityLevel.Forward, nullable, [V1]));
    }
}
