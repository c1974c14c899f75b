using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;

namespace Otto.Streams.SchemaRegistry.Tests;

/// <summary>The C# face of Apache.Avro's generated classes: schema defaults, decimals at the schema's scale, UTC times.</summary>
public class ContractsFaceTests
{
    [Fact]
    public void A_new_record_has_the_schemas_defaults()
    {
        Assert.Equal("CPR", new PaymentAdded().SourceSystem);
        Assert.Empty(new PaymentState().History);
        Assert.Equal(0, new PaymentState().RepliesIgnored);
    }

    [Fact]
    public void A_decimal_is_stored_at_the_schemas_scale_and_read_back_with_it()
    {
        var added = new PaymentAdded { Amount = 12.5m };
        Assert.Equal(2, added.amount.Scale);
        Assert.Equal("12.50", added.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_amount_with_more_fractional_digits_than_the_schema_is_refused_not_rounded() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PaymentAdded { Amount = 0.005m });

    [Fact]
    public void Timestamps_are_utc_whatever_offset_they_were_set_with()
    {
        var at = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.FromHours(2));
        var state = new PaymentState { StatusSince = at };
        Assert.Equal(at, state.StatusSince);
        Assert.Equal(TimeSpan.Zero, state.StatusSince.Offset);
        Assert.Equal(DateTimeKind.Utc, state.statusSince.Kind);
    }

    [Fact]
    public void Decimals_round_trip_at_the_edges_of_the_schemas_precision()
    {
        foreach (var value in new[] { 0m, -0.01m, 9_999_999_999_999_999.99m, -9_999_999_999_999_999.99m })
            Assert.Equal(value, AvroValues.ToDecimal(AvroValues.Decimal(value, 2)));
    }
}
