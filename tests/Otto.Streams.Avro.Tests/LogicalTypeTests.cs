using Otto.Streams.Avro.IO;

namespace Otto.Streams.Avro.Tests;

public class LogicalTypeTests
{
    [Theory]
    [InlineData("1.00", "0264")]
    [InlineData("-1.00", "029c")]
    [InlineData("0", "0200")]
    [InlineData("1.28", "040080")]
    [InlineData("-1.29", "04ff7f")]
    [InlineData("1.5", "0400" + "96")]
    public void Decimal_is_big_endian_twos_complement_of_the_unscaled_value(string value, string hex)
    {
        var d = decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(hex, Hex.Encode(w => w.WriteDecimal(d, 18, 2)));
        Assert.Equal(d, Hex.Reader(hex).ReadDecimal(2));
    }

    [Fact]
    public void Decimal_with_more_fractional_digits_than_the_scale_is_an_error_not_rounded()
    {
        var e = Assert.Throws<AvroException>(() => new AvroBinaryWriter().WriteDecimal(1.005m, 18, 2));
        Assert.Contains("more than 2 fractional digits", e.Message);
        // Trailing zeros beyond the scale are not extra precision.
        Assert.Equal("040096", Hex.Encode(w => w.WriteDecimal(1.50000m, 18, 2)));
    }

    [Fact]
    public void Decimal_beyond_the_precision_is_an_error() =>
        Assert.Contains("more than 3 digits", Assert.Throws<AvroException>(() => new AvroBinaryWriter().WriteDecimal(12.34m, 3, 2)).Message);

    [Fact]
    public void Fixed_decimal_is_sign_extended()
    {
        Assert.Equal("ffffff9c", Hex.Encode(w => w.WriteFixedDecimal(-1.00m, 9, 2, 4)));
        Assert.Equal(-1.00m, Hex.Reader("ffffff9c").ReadFixedDecimal(2, 4));
        Assert.Throws<AvroException>(() => new AvroBinaryWriter().WriteFixedDecimal(400m, 9, 0, 1));
    }

    [Fact]
    public void Decimal_out_of_System_Decimal_range_is_an_error()
    {
        var hex = Hex.Encode(w => w.WriteBytes(Enumerable.Repeat((byte)0x7f, 16).ToArray()));
        Assert.Contains("System.Decimal", Assert.Throws<AvroException>(() => Hex.Reader(hex).ReadDecimal(0)).Message);
    }

    [Fact]
    public void Timestamp_millis_is_utc_epoch_millis()
    {
        var t = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(2));
        var hex = Hex.Encode(w => w.WriteTimestampMillis(t));
        var read = Hex.Reader(hex).ReadTimestampMillis();
        Assert.Equal(t, read);
        Assert.Equal(TimeSpan.Zero, read.Offset);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddMilliseconds(-1), Hex.Reader("01").ReadTimestampMillis());
        Assert.Throws<AvroException>(() => Hex.Reader(Hex.Encode(w => w.WriteLong(long.MaxValue))).ReadTimestampMillis());
    }
}
