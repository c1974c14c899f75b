using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Tests;

/// <summary>Corrupt or truncated input fails with an AvroException saying what and where, never with an
/// out-of-range error or an allocation sized by a corrupt length.</summary>
public class CorruptInputTests
{
    [Theory]
    [InlineData("", "truncated")]
    [InlineData("80", "truncated")]
    [InlineData("ffffffffffffffffff02", "longer than 64 bits")]
    [InlineData("ffffffffffffffffffff01", "longer than 64 bits")]
    public void Bad_varints(string hex, string expected)
    {
        var e = Assert.Throws<AvroException>(() => Hex.Reader(hex).ReadLong());
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Int_out_of_range() =>
        Assert.Contains("out of range", Assert.Throws<AvroException>(() => Hex.Reader("8080808020").ReadInt()).Message);

    [Fact]
    public void String_longer_than_the_input_is_truncated_not_allocated()
    {
        // Length 2^62: must fail on the length check, before any allocation.
        var hex = Hex.Encode(w => w.WriteLong(1L << 62));
        var e = Assert.Throws<AvroException>(() => Hex.Reader(hex + "6161").ReadString());
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Negative_length() =>
        Assert.Contains("negative", Assert.Throws<AvroException>(() => Hex.Reader("0161").ReadBytes()).Message);

    [Fact]
    public void Invalid_utf8() =>
        Assert.Contains("UTF-8", Assert.Throws<AvroException>(() => Hex.Reader("04c328").ReadString()).Message);

    [Fact]
    public void Boolean_other_than_0_or_1() =>
        Assert.Contains("boolean", Assert.Throws<AvroException>(() => Hex.Reader("02").ReadBoolean()).Message);

    [Fact]
    public void Truncated_float_and_fixed()
    {
        Assert.Throws<AvroException>(() => Hex.Reader("0000").ReadFloat());
        Assert.Throws<AvroException>(() => Hex.Reader("000000").ReadDouble());
        Assert.Throws<AvroException>(() => Hex.Reader("01").ReadFixed(4));
    }

    [Fact]
    public void Block_count_larger_than_the_input()
    {
        var hex = Hex.Encode(w => w.WriteLong(int.MaxValue)) + "02";
        var e = Assert.Throws<AvroException>(() => Hex.Reader(hex).ReadArray(r => r.ReadInt()));
        Assert.Contains("block claims", e.Message);
    }

    [Fact]
    public void Union_and_enum_indexes_out_of_range()
    {
        var union = AvroSchema.Parse("""["null","string"]""");
        Assert.Contains("union branch index 2", Assert.Throws<AvroException>(() => new GenericDatumReader(union).Read(Hex.Reader("04"))).Message);
        var e = AvroSchema.Parse("""{"type":"enum","name":"E","symbols":["A"]}""");
        Assert.Contains("enum symbol index -1", Assert.Throws<AvroException>(() => new GenericDatumReader(e).Read(Hex.Reader("01"))).Message);
    }

    [Fact]
    public void Every_truncation_of_a_record_fails_cleanly()
    {
        var sample = Samples.PaymentState();
        var bytes = Specific.AvroRecord.ToBytes(sample);
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsMemory(0, length);
            Assert.Throws<AvroException>(() => Specific.AvroRecord.FromBytes<Otto.Contracts.Otto.PaymentState>(prefix));
        }
    }

    [Fact]
    public void Trailing_bytes_are_an_error()
    {
        var bytes = Specific.AvroRecord.ToBytes(Samples.GetTrnRq()).Append((byte)0).ToArray();
        Assert.Contains("trailing", Assert.Throws<AvroException>(() => Specific.AvroRecord.FromBytes<Otto.Contracts.Otto.GetTrnRq>(bytes)).Message);
    }

    [Fact]
    public void Deeply_nested_recursive_data_fails_instead_of_overflowing_the_stack()
    {
        var schema = AvroSchema.Parse("""{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""");
        // Branch 1 ("Node") a million times: each level costs one byte.
        var bytes = Enumerable.Repeat((byte)0x02, 1_000_000).ToArray();
        var e = Assert.Throws<AvroException>(() => new GenericDatumReader(schema).Read(new AvroBinaryReader(bytes)));
        Assert.Contains("nested deeper", e.Message);
    }
}

/// <summary>Arrays of items that encode to zero bytes: valid data has more items than bytes, so the count limit
/// is a fixed one rather than the bytes left (found by the random interop test: 2 nulls in 1 byte were rejected).</summary>
public class ZeroSizeItemTests
{
    [Theory]
    [InlineData("{\"type\":\"array\",\"items\":\"null\"}")]
    [InlineData("{\"type\":\"array\",\"items\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":0}}")]
    [InlineData("{\"type\":\"array\",\"items\":{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"null\"},{\"name\":\"b\",\"type\":{\"type\":\"record\",\"name\":\"E\",\"fields\":[]}},{\"name\":\"c\",\"type\":\"E\"}]}}")]
    public void An_array_of_more_zero_size_items_than_bytes_is_read(string schemaJson)
    {
        var schema = Schema.AvroSchema.Parse(schemaJson);
        Assert.True(((Schema.ArraySchema)schema).Items.EncodesToZeroBytes);
        var value = new GenericDatumReader(schema).Read(Hex.Reader("0a00"));
        Assert.Equal(5, ((List<object?>)value!).Count);
    }

    [Fact]
    public void A_huge_count_of_zero_size_items_is_refused_before_looping()
    {
        var schema = Schema.AvroSchema.Parse("{\"type\":\"array\",\"items\":\"null\"}");
        var e = Assert.Throws<AvroException>(() => new GenericDatumReader(schema).Read(Hex.Reader(Hex.Encode(w => w.WriteLong(long.MaxValue)) + "00")));
        Assert.Contains("more than the limit", e.Message);
        // Many blocks within the limit each still add up to the limit.
        var blocks = string.Concat(Enumerable.Repeat(Hex.Encode(w => w.WriteLong(AvroBinaryReader.MaxZeroSizeItems)), 2)) + "00";
        Assert.Contains("longer than the limit", Assert.Throws<AvroException>(() => new GenericDatumReader(schema).Read(Hex.Reader(blocks))).Message);
    }

    [Fact]
    public void A_recursive_record_is_not_zero_size() =>
        Assert.False(Schema.AvroSchema.Parse("{\"type\":\"record\",\"name\":\"L\",\"fields\":[{\"name\":\"next\",\"type\":[\"null\",\"L\"]}]}").EncodesToZeroBytes);
}
