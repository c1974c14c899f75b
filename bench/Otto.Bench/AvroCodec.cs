using System.Diagnostics;
using System.Globalization;
using Otto.Contracts;
using Otto.Contracts.Cpr;
using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.IO;

namespace Otto.Bench;

/// <summary>
/// Encode and decode of one PaymentAdded-sized record on one thread, generated code against the generic record
/// (the baseline) in the same run: records/s and bytes allocated per record. Encoding writes into one reused
/// writer and decoding reads through one reused reader, as the serdes do; what decoding must allocate is the
/// decoded object with its strings, measured by building the same object from the same strings' characters.
/// </summary>
public sealed class AvroCodec : IBenchmark
{
    /// <inheritdoc />
    public string Name => "avro";

    /// <inheritdoc />
    public string Description => "Avro encode/decode of PaymentAdded: generated code vs generic record [records, default 2000000]";

    /// <inheritdoc />
    public Task RunAsync(string[] args, TextWriter output)
    {
        var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000_000;
        var value = Sample();
        var bytes = Streams.Avro.Specific.AvroRecord.ToBytes(value);
        var generic = new GenericDatumReader(PaymentAdded.Schema).Read(new AvroBinaryReader(bytes));
        var genericWriter = new GenericDatumWriter(PaymentAdded.Schema);
        var genericReader = new GenericDatumReader(PaymentAdded.Schema);
        var writer = new AvroBinaryWriter();
        var reader = new AvroBinaryReader(bytes);
        output.WriteLine($"bench: PaymentAdded, {bytes.Length} bytes of Avro, {records:N0} records per measurement");

        var genEncode = Measure(records, () => { writer.Reset(); value.Write(writer); });
        var genDecode = Measure(records, () => { reader.Reset(bytes); PaymentAdded.Read(reader); });
        var gnEncode = Measure(records, () => { writer.Reset(); genericWriter.Write(writer, generic); });
        var gnDecode = Measure(records, () => { reader.Reset(bytes); genericReader.Read(reader); });
        var objectBytes = Measure(records, () => Copy(value)).AllocatedPerRecord;

        output.WriteLine($"bench: {"",-10} {"encode/s",12} {"alloc B/rec",12} {"decode/s",12} {"alloc B/rec",12}");
        output.WriteLine($"bench: {"generated",-10} {genEncode.PerSecond,12:N0} {genEncode.AllocatedPerRecord,12:F1} {genDecode.PerSecond,12:N0} {genDecode.AllocatedPerRecord,12:F1}");
        output.WriteLine($"bench: {"generic",-10} {gnEncode.PerSecond,12:N0} {gnEncode.AllocatedPerRecord,12:F1} {gnDecode.PerSecond,12:N0} {gnDecode.AllocatedPerRecord,12:F1}");
        output.WriteLine($"bench: the decoded object itself (PaymentAdded and its strings) is {objectBytes:F0} bytes");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bench: gen_encode_rps={genEncode.PerSecond:F0} gen_decode_rps={genDecode.PerSecond:F0} generic_encode_rps={gnEncode.PerSecond:F0} generic_decode_rps={gnDecode.PerSecond:F0} " +
            $"encode_ratio={genEncode.PerSecond / gnEncode.PerSecond:F2} decode_ratio={genDecode.PerSecond / gnDecode.PerSecond:F2} " +
            $"gen_encode_alloc={genEncode.AllocatedPerRecord:F1} gen_decode_alloc={genDecode.AllocatedPerRecord:F1} object_bytes={objectBytes:F0}"));
        return Task.CompletedTask;
    }

    private readonly record struct Result(double PerSecond, double AllocatedPerRecord);

    // A warm-up pass (JIT tiering) and then the best of three timed passes: the machine is shared.
    private static Result Measure(int records, Action action)
    {
        for (var i = 0; i < Math.Min(records, 200_000); i++) action();
        var best = new Result(0, double.MaxValue);
        for (var pass = 0; pass < 3; pass++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < records; i++) action();
            clock.Stop();
            var result = new Result(records / clock.Elapsed.TotalSeconds, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)records);
            if (result.PerSecond > best.PerSecond) best = result;
        }
        return best;
    }

    private static PaymentAdded Sample() => new()
    {
        EventId = "evt-7f3c2a9e-0001",
        PaymentId = "pay-000123456",
        OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(1_763_700_000_123),
        Rail = PaymentRail.SEPA,
        DebtorAccount = "DE89370400440532013000",
        CreditorAccount = "FR1420041010050500013M02606",
        Amount = 1234.56m,
        Currency = "EUR",
        Status = PaymentStatus.PENDING,
        Reference = "invoice 2026-11",
    };

    // What a decoder cannot avoid allocating: the object and new strings with the same characters.
    private static PaymentAdded Copy(PaymentAdded p) => new()
    {
        EventId = new string(p.EventId.AsSpan()),
        PaymentId = new string(p.PaymentId.AsSpan()),
        OccurredAt = p.OccurredAt,
        Rail = p.Rail,
        DebtorAccount = new string(p.DebtorAccount.AsSpan()),
        CreditorAccount = new string(p.CreditorAccount.AsSpan()),
        Amount = p.Amount,
        Currency = new string(p.Currency.AsSpan()),
        Status = p.Status,
        Reference = p.Reference is null ? null : new string(p.Reference.AsSpan()),
    };
}
