using Otto.Streams.Avro.IO;

namespace Otto.Streams.Avro.Tests;

public class BinaryEncodingTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(-1L, "01")]
    [InlineData(1L, "02")]
    [InlineData(-2L, "03")]
    [InlineData(2L, "04")]
    [InlineData(-64L, "7f")]
    [InlineData(64L, "8001")]
    [InlineData(int.MaxValue, "feffffff0f")]
    [InlineData(int.MinValue, "ffffffff0f")]
    [InlineData(long.MaxValue, "feffffffffffffffff01")]
    [InlineData(long.MinValue, "ffffffffffffffffff01")]
    public void Long_is_zigzag_varint(long value, string hex)
    {
        Assert.Equal(hex, Hex.Encode(w => w.WriteLong(value)));
        var reader = Hex.Reader(hex);
        Assert.Equal(value, reader.ReadLong());
        Assert.Equal(0, reader.Remaining);
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(-1, "01")]
    [InlineData(int.MaxValue, "feffffff0f")]
    [InlineData(int.MinValue, "ffffffff0f")]
    public void Int_is_zigzag_varint(int value, string hex)
    {
        Assert.Equal(hex, Hex.Encode(w => w.WriteInt(value)));
        Assert.Equal(value, Hex.Reader(hex).ReadInt());
    }

    [Fact]
    public void Float_and_double_are_little_endian_ieee()
    {
        Assert.Equal("0000803f", Hex.Encode(w => w.WriteFloat(1.0f)));
        Assert.Equal("000000000000f03f", Hex.Encode(w => w.WriteDouble(1.0)));
        Assert.Equal(-2.5f, Hex.Reader("000020c0").ReadFloat());
        Assert.True(double.IsNaN(Hex.Reader(Hex.Encode(w => w.WriteDouble(double.NaN))).ReadDouble()));
    }

    [Fact]
    public void Strings_and_bytes_are_length_prefixed()
    {
        Assert.Equal("06666f6f", Hex.Encode(w => w.WriteString("foo")));
        Assert.Equal("00", Hex.Encode(w => w.WriteString("")));
        Assert.Equal("04c3a9", Hex.Encode(w => w.WriteString("é")));
        Assert.Equal("é", Hex.Reader("04c3a9").ReadString());
        Assert.Equal(new byte[] { 1, 2 }, Hex.Reader("040102").ReadBytes());
    }

    [Fact]
    public void Boolean_is_one_byte()
    {
        Assert.Equal("01", Hex.Encode(w => w.WriteBoolean(true)));
        Assert.Equal("00", Hex.Encode(w => w.WriteBoolean(false)));
        Assert.True(Hex.Reader("01").ReadBoolean());
    }

    [Fact]
    public void Arrays_are_blocks_ending_with_zero()
    {
        Assert.Equal("00", Hex.Encode(w => w.WriteArray(Array.Empty<int>(), (x, i) => x.WriteInt(i))));
        Assert.Equal("04020400", Hex.Encode(w => w.WriteArray(new[] { 1, 2 }, (x, i) => x.WriteInt(i))));
        // Several blocks read as one array.
        Assert.Equal([1, 2, 3], Hex.Reader("040204020600").ReadArray(r => r.ReadInt()));
    }

    [Fact]
    public void Negative_block_count_is_followed_by_byte_size()
    {
        // Two blocks: count -2 with byte size 2, then count 1, then end.
        var items = Hex.Reader("03 04 02 04 02 06 00".Replace(" ", "")).ReadArray(r => r.ReadInt());
        Assert.Equal([1, 2, 3], items);
    }

    [Fact]
    public void Maps_are_blocks_of_key_value_pairs()
    {
        var hex = Hex.Encode(w => w.WriteMap(new Dictionary<string, long> { ["a"] = 1 }, (x, v) => x.WriteLong(v)));
        Assert.Equal("02026102" + "00", hex);
        Assert.Equal(1L, Hex.Reader(hex).ReadMap(r => r.ReadLong())["a"]);
    }
}
