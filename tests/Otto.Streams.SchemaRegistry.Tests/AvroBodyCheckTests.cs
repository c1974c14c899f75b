using Avro;

namespace Otto.Streams.SchemaRegistry.Tests;

public class AvroBodyCheckTests
{
    private static readonly Schema Strings = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"s","type":"string"},{"name":"xs","type":{"type":"array","items":"string"}}]}""");


    [Fact]
    public void A_well_formed_body_passes() =>
        AvroBodyCheck.Check(Strings, [.. Varint.Of(2), (byte)'h', (byte)'i', .. Varint.Of(1), .. Varint.Of(1), (byte)'x', 0]);

    // Regression: Apache.Avro's decoder allocated the 1 GB this 8-byte record announces before failing.
    [Fact]
    public void A_string_longer_than_the_bytes_left_is_refused_before_anything_is_allocated()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AvroException>(() => AvroBodyCheck.Check(Strings, [.. Varint.Of(1_000_000_000), 1, 2, 3]));
        Assert.Contains("exceeds", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    // Regression: Apache.Avro's decoder allocated 8 GB for an array claiming 10^9 items.
    [Fact]
    public void An_array_claiming_more_items_than_bytes_left_is_refused() =>
        Assert.Contains("cannot fit", Assert.Throws<AvroException>(() => AvroBodyCheck.Check(Strings, [0, .. Varint.Of(1_000_000_000), 0, 0, 0])).Message);

    [Fact]
    public void Zero_size_items_are_bounded_by_count_since_the_input_cannot_bound_them()
    {
        var nulls = Schema.Parse("""{"type":"array","items":"null"}""");
        AvroBodyCheck.Check(nulls, [.. Varint.Of(1000), 0]);
        Assert.Throws<AvroException>(() => AvroBodyCheck.Check(nulls, [.. Varint.Of(AvroBodyCheck.MaxZeroSizeItems + 1), 0]));
    }

    [Fact]
    public void Trailing_bytes_a_truncated_body_and_a_bad_union_index_are_refused()
    {
        Assert.Contains("after the end", Assert.Throws<AvroException>(() => AvroBodyCheck.Check(Strings, [0, 0, 7])).Message);
        Assert.Throws<AvroException>(() => AvroBodyCheck.Check(Strings, [.. Varint.Of(5), (byte)'a']));
        var union = Schema.Parse("""["null","string"]""");
        Assert.Contains("union branch", Assert.Throws<AvroException>(() => AvroBodyCheck.Check(union, Varint.Of(2))).Message);
    }

    [Fact]
    public void A_recursive_schema_cannot_recurse_once_per_input_byte()
    {
        var list = Schema.Parse("""{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""");
        var deep = Enumerable.Repeat(Varint.Of(1)[0], 10_000).Append(Varint.Of(0)[0]).ToArray();
        Assert.Contains("nested deeper", Assert.Throws<AvroException>(() => AvroBodyCheck.Check(list, deep)).Message);
    }
}
