using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;
using Otto.Streams.Avro.Specific;

namespace Otto.Streams.Avro.Tests;

public class GeneratedTypesTests
{
    [Theory]
    [MemberData(nameof(Samples.Names), MemberType = typeof(Samples))]
    public void Every_generated_type_round_trips_byte_for_byte(string name)
    {
        var sample = Samples.ByName(name);
        Assert.Equal(sample.Bytes, sample.DecodeAndReencode(sample.Bytes));
    }

    [Fact]
    public void Round_trip_keeps_every_value()
    {
        var original = Samples.PaymentState();
        var copy = AvroRecord.FromBytes<PaymentState>(AvroRecord.ToBytes(original));
        Assert.Equal(original.Amount, copy.Amount);
        Assert.Equal(original.StatusSince, copy.StatusSince);
        Assert.Equal(original.History.Single().EventId, copy.History.Single().EventId);
        Assert.Equal(original.Rules.Single().Pending!.DueAt, copy.Rules.Single().Pending!.DueAt);
        Assert.Equal(original.Settlements.Single().Amount, copy.Settlements.Single().Amount);
        Assert.Equal(original.RepliesIgnored, copy.RepliesIgnored);
        Assert.Null(copy.Currency);
    }

    [Fact]
    public void Schema_is_self_contained_and_matches_the_avsc()
    {
        // Referenced enums from other files are inlined, so the JSON parses on its own.
        var schema = Schema.AvroSchema.Parse(PaymentAdded.SchemaJson);
        Assert.Equal("Otto.Contracts.Cpr.PaymentAdded", ((Schema.RecordSchema)schema).FullName);
        var names = new Schema.SchemaNames();
        foreach (var file in new[] { "PaymentRail", "PaymentStatus", "PaymentAdded" })
        {
            Schema.AvroSchema.Parse(File.ReadAllText(Path.Combine(RepoSchemas.Dir, file + ".avsc")), names);
        }
        Assert.True(names.TryGet("Otto.Contracts.Cpr.PaymentAdded", out var fromFile));
        Assert.Equal(fromFile.ToCanonicalForm(), PaymentAdded.Schema.ToCanonicalForm());
        Assert.Equal(fromFile.ToJson(), PaymentAdded.Schema.ToJson());
    }

    [Fact]
    public void Nested_named_types_are_generated_types_of_their_own()
    {
        Assert.Equal("Otto.Contracts.Otto.PendingRequest", PendingRequest.Schema.FullName);
        Assert.Equal(["STATUS_MISMATCH", "NOT_FOUND_IN_CORE", "NO_CORE_REPLY"], Enum.GetNames<FlagReason>()[..3]);
    }

    [Fact]
    public void Decimal_with_too_many_fractional_digits_is_rejected()
    {
        var payment = Samples.PaymentAdded();
        payment.Amount = 10.001m;
        var e = Assert.Throws<AvroException>(() => AvroRecord.ToBytes(payment));
        Assert.Contains("fractional digits", e.Message);
    }

    [Fact]
    public void Null_in_a_non_nullable_field_names_the_field()
    {
        var payment = Samples.PaymentAdded();
        payment.Currency = null!;
        Assert.Contains("PaymentAdded.currency", Assert.Throws<AvroException>(() => AvroRecord.ToBytes(payment)).Message);
    }

    [Fact]
    public void Undefined_enum_value_is_rejected()
    {
        var payment = Samples.PaymentAdded();
        payment.Status = (PaymentStatus)42;
        Assert.Contains("PaymentAdded.status", Assert.Throws<AvroException>(() => AvroRecord.ToBytes(payment)).Message);
    }

    [Fact]
    public void Defaults_and_required_shape()
    {
        var state = new PaymentState { PaymentId = "p" };
        Assert.Empty(state.History);
        Assert.Empty(state.Rules);
        Assert.Null(state.Core);
        Assert.Null(state.Amount);
        var added = new PaymentAdded
        {
            EventId = "e", PaymentId = "p", DebtorAccount = "d", CreditorAccount = "c", Currency = "EUR",
        };
        Assert.Null(added.Reference);
    }
}

internal static class RepoSchemas
{
    /// <summary>The repository's schemas/ folder, found upward from the test output directory.</summary>
    public static string Dir { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "schemas");
            if (File.Exists(Path.Combine(candidate, "PaymentAdded.avsc"))) return candidate;
        }
        throw new InvalidOperationException("schemas/ not found above " + AppContext.BaseDirectory);
    }
}
