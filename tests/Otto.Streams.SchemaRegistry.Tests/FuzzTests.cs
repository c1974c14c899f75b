using Avro.Specific;
using Confluent.Kafka;
using Otto.Contracts.Otto;
using Otto.DevSchemaRegistry;

namespace Otto.Streams.SchemaRegistry.Tests;

/// <summary>
/// Corrupted wire-format records through the serde the topology reads with: each call ends in a value or in an
/// exception that is the record's fault (dead-lettered), never in a registry failure, a crash or an allocation out
/// of proportion to the input. Seeds are fixed, so a failure replays. Allocation is counted for the whole process
/// (Confluent's deserializer may continue on another thread), so this class runs alone.
/// </summary>
[Collection(nameof(FuzzTests))]
[CollectionDefinition(nameof(FuzzTests), DisableParallelization = true)]
public class FuzzTests
{
    private const int CasesPerType = 3000;

    [Fact]
    public void Corrupted_payment_states_never_crash_or_allocate_out_of_proportion() =>
        Fuzz(Samples.State(), seed: 1);

    [Fact]
    public void Corrupted_facts_never_crash_or_allocate_out_of_proportion() =>
        Fuzz(Samples.Added(), seed: 2);

    private static void Fuzz<T>(T sample, int seed) where T : class, ISpecificRecord
    {
        var context = new SerializationContext(MessageComponentType.Value, $"fuzz-{typeof(T).Name}");
        var serde = new AvroSerDes<T>(InProcessRegistry.Client, autoRegisterSchemas: true);
        var valid = serde.Serialize(sample, context);
        serde.Deserialize(valid, context); // warm: schema fetched and parsed, code jitted
        var random = new Random(seed);
        var (read, refused) = (0, 0);
        for (var i = 0; i < CasesPerType; i++)
        {
            var input = Corrupt(valid, random);
            var before = GC.GetTotalAllocatedBytes(precise: false);
            try
            {
                serde.Deserialize(input, context);
                read++;
            }
            catch (RegistryFailureException e)
            {
                Assert.Fail($"case {i}: a corrupted record was taken for a registry failure: {e.Message}");
            }
            catch (Exception)
            {
                refused++;
            }
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
            Assert.True(allocated < 256 * 1024 + 64L * input.Length, $"case {i}: {allocated} bytes allocated for {input.Length} bytes of input");
        }
        Assert.True(refused > CasesPerType / 4, $"only {refused} of {CasesPerType} corrupted records were refused");
        Assert.True(read > 0, "no corrupted record decoded at all: the mutations never hit a harmless byte");
    }

    // Keeps the header (magic byte and schema id) so the body reaches the decoder, then flips bytes, cuts the end,
    // or splices a large varint (a string length or an array count of 1 Mi to 1 Gi) somewhere.
    private static byte[] Corrupt(byte[] valid, Random random)
    {
        var body = valid.ToList();
        switch (random.Next(4))
        {
            case 0:
                for (var n = random.Next(1, 4); n > 0; n--) body[random.Next(5, body.Count)] = (byte)random.Next(256);
                break;
            case 1:
                var keep = random.Next(5, body.Count);
                body.RemoveRange(keep, body.Count - keep);
                break;
            case 2:
                body.InsertRange(random.Next(5, body.Count), Varint.Of(random.NextInt64(1 << 20, 1 << 30)));
                break;
            default:
                body[random.Next(5, body.Count)] ^= (byte)(1 << random.Next(8));
                break;
        }
        return [.. body];
    }

}
