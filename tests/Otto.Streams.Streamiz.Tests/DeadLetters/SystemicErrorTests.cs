using Otto.Streams.Streamiz.DeadLetters;
using Streamiz.Kafka.Net.Errors;

namespace Otto.Streams.Streamiz.Tests.DeadLetters;

public sealed class SystemicErrorTests
{
    [Fact]
    public void A_StreamsException_anywhere_in_the_chain_or_one_of_Streamizs_own_exceptions_is_systemic()
    {
        Assert.True(DeadLetterQueue.IsSystemic(new RegistryDownException("registry down")));
        Assert.True(DeadLetterQueue.IsSystemic(new InvalidOperationException("wrapped", new RegistryDownException("registry down"))));
        Assert.True(DeadLetterQueue.IsSystemic(new DeserializationException("decided by Streamiz", new FormatException())));
        Assert.True(DeadLetterQueue.IsSystemic(new ProductionException("decided by Streamiz")));
    }

    [Fact]
    public void Anything_else_is_the_records_fault()
    {
        Assert.False(DeadLetterQueue.IsSystemic(new FormatException("not a number")));
        Assert.False(DeadLetterQueue.IsSystemic(new InvalidOperationException("bad state", new ArgumentException("bad field"))));
    }
}
