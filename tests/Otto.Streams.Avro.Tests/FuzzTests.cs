using System.Diagnostics;
using Confluent.Kafka;
using Otto.Contracts.Cpr;
using Otto.Contracts.Otto;
using Otto.Streams.Avro.Generic;
using Otto.Streams.Avro.IO;
using Otto.Streams.Avro.Registry;
using Otto.Streams.Avro.Schema;
using Otto.Streams.Avro.Serdes;
using Otto.Streams.Avro.Specific;

namespace Otto.Streams.Avro.Tests;

/// <summary>
/// Seeded fuzzing of every decoder with truncated, bit-flipped, spliced and length-forged inputs: each decode
/// either succeeds or throws <see cref="AvroException"/>, finishes quickly, and allocates no more than its input
/// can justify. Deterministic (fixed seeds) and a few seconds long.
/// </summary>
public class FuzzTests
{
    private const int SchemasPerRun = 300;
    private const int MutationsPerValue = 40;

    [Fact]
    public void Generic_decoder_survives_mutated_data_of_random_schemas()
    {
        var decodes = 0;
        for (var seed = 0; seed < SchemasPerRun; seed++)
        {
            var random = new RandomAvro(1000 + seed);
            var schema = AvroSchema.Parse(random.Schema(depth: 3));
            var writer = new AvroBinaryWriter();
            new GenericDatumWriter(schema).Write(writer, random.Value(schema));
            var reader = new GenericDatumReader(schema);
            foreach (var input in Mutations(random.Random, writer.ToArray(), MutationsPerValue))
            {
                Decode(input, schema.ToJson(), data => reader.Read(new AvroBinaryReader(data)), zeroSizeArrays: HasZeroSizeArray(schema));
                decodes++;
            }
        }
        Assert.True(decodes > 10_000, $"only {decodes} decodes");
    }

    [Fact]
    public void Generated_decoders_survive_mutated_data()
    {
        var random = new Random(7);
        var samples = new (byte[] Bytes, Func<byte[], object> Read)[]
        {
            (AvroRecord.ToBytes(Samples.PaymentAdded()), b => AvroRecord.FromBytes<PaymentAdded>(b)),
            (AvroRecord.ToBytes(Samples.PaymentState()), b => AvroRecord.FromBytes<PaymentState>(b)),
            (AvroRecord.ToBytes(Samples.GetTrnRs()), b => AvroRecord.FromBytes<GetTrnRs>(b)),
        };
        foreach (var (bytes, read) in samples)
        {
            foreach (var input in Mutations(random, bytes, 3000)) Decode(input, "generated", read, zeroSizeArrays: false);
        }
    }

    [Fact]
    public void Wire_format_serde_survives_bad_framing_and_unknown_ids()
    {
        var registry = new InMemorySchemaRegistry();
        var serde = new AvroSerDes<PaymentAdded>(registry);
        var context = new SerializationContext(MessageComponentType.Value, "fuzz");
        var framed = serde.Serialize(Samples.PaymentAdded(), context);
        var random = new Random(11);
        var inputs = Mutations(random, framed, 5000).Concat(new[]
        {
            Array.Empty<byte>(), new byte[] { 0 }, new byte[] { 1, 0, 0, 0, 1 }, new byte[] { 0, 0x7f, 0xff, 0xff, 0xff, 0 },
            new byte[] { 0, 0xff, 0xff, 0xff, 0xff },
        });
        foreach (var input in inputs) Decode(input, "wire format", data => serde.Deserialize(data, context), zeroSizeArrays: false);
        Assert.Contains("magic byte 0x01", Assert.Throws<AvroException>(() => serde.Deserialize([1, 0, 0, 0, 1], context)).Message);
        Assert.Contains("unknown schema id 2147483647", Assert.Throws<AvroException>(() => serde.Deserialize([0, 0x7f, 0xff, 0xff, 0xff], context)).Message);
    }

    // One decode: success or AvroException, within seconds even on a loaded machine (a hang would not end), and allocation bounded by the input's size. Arrays
    // of zero-size items may hold up to MaxZeroSizeItems whatever the input, hence their own allowance.
    private static void Decode(byte[] input, string what, Func<byte[], object?> decode, bool zeroSizeArrays)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        try
        {
            decode(input);
        }
        catch (AvroException)
        {
            // The expected failure.
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: input {Hex.Of(input)} threw {e.GetType().Name}: {e.Message}");
        }
        var budget = 512L * input.Length + 64 * 1024 + (zeroSizeArrays ? 128L * AvroBinaryReader.MaxZeroSizeItems : 0);
        var used = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.True(used <= budget, $"{what}: input {Hex.Of(input)} allocated {used} bytes, budget {budget}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"{what}: input {Hex.Of(input)} took {clock.Elapsed}");
    }

    private static bool HasZeroSizeArray(AvroSchema schema, HashSet<AvroSchema>? seen = null)
    {
        seen ??= [];
        if (!seen.Add(schema)) return false;
        return schema switch
        {
            ArraySchema a => a.Items.EncodesToZeroBytes || HasZeroSizeArray(a.Items, seen),
            MapSchema m => HasZeroSizeArray(m.Values, seen),
            UnionSchema u => u.Branches.Any(b => HasZeroSizeArray(b, seen)),
            RecordSchema r => r.Fields.Any(f => HasZeroSizeArray(f.Schema, seen)),
            _ => false,
        };
    }

    /// <summary>The input itself, every truncation, and random corruptions: bit flips, random bytes, spliced
    /// overlong varints and forged huge or negative lengths and counts.</summary>
    private static IEnumerable<byte[]> Mutations(Random random, byte[] valid, int count)
    {
        yield return valid;
        for (var length = 0; length < valid.Length; length++) yield return valid[..length];
        var forged = new[]
        {
            Hex.Bytes("ffffffffffffffffffff01"), Hex.Bytes("80808080808080808080808001"), Hex.Bytes("feffffffffffffffff01"),
            Hex.Bytes("ffffffffffffffff7f"), Hex.Bytes("01"), Hex.Bytes("7f"), Hex.Bytes("fe ff ff ff 0f"),
        };
        for (var i = 0; i < count; i++)
        {
            var bytes = valid.ToList();
            var position = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[position] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.InsertRange(position, forged[random.Next(forged.Length)]);
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveRange(position, 1);
                    bytes.InsertRange(position, forged[random.Next(forged.Length)]);
                    break;
                default:
                    var junk = new byte[random.Next(1, 8)];
                    random.NextBytes(junk);
                    bytes.InsertRange(position, junk);
                    break;
            }
            yield return bytes.ToArray();
        }
    }
}
