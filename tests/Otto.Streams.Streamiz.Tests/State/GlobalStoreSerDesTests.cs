using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using Otto.Streams.Streamiz.DeadLetters;
using Otto.Streams.Streamiz.State;
using Streamiz.Kafka.Net.Errors;
using Streamiz.Kafka.Net.SerDes;

namespace Otto.Streams.Streamiz.Tests.State;

public sealed class GlobalStoreSerDesTests
{
    private static readonly SerializationContext Context = new(MessageComponentType.Value, "accounts-topic");

    [Fact]
    public void A_readable_value_is_read_and_written_by_the_inner_serde()
    {
        var serdes = new GlobalStoreSerDes<string>(new StringSerDes(), "accounts");

        Assert.Equal("A", serdes.Deserialize(serdes.Serialize("A", Context), Context));
    }

    [Fact]
    public void A_value_that_cannot_be_read_is_absent_and_counted_with_its_store()
    {
        var counted = new List<(long, string?)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == GlobalStoreSerDes<string>.UnreadableName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            counted.Add((value, tags.ToArray().Single(t => t.Key == "store").Value as string)));
        listener.Start();
        var serdes = new GlobalStoreSerDes<string>(new Throwing(new InvalidDataException("not Avro")), "accounts");

        Assert.Null(serdes.Deserialize([0xDE, 0xAD], Context));
        Assert.Contains((1L, "accounts"), counted);
    }

    [Fact]
    public void A_systemic_failure_is_thrown_not_taken_as_absent()
    {
        var serdes = new GlobalStoreSerDes<string>(new Throwing(new StreamsException("schema registry unreachable")), "accounts");

        Assert.True(DeadLetterQueue.IsSystemic(Assert.Throws<StreamsException>(() => serdes.Deserialize([0, 0, 0, 0, 1], Context))));
    }

    private sealed class Throwing(Exception error) : AbstractSerDes<string>
    {
        public override byte[] Serialize(string data, SerializationContext context) => Encoding.UTF8.GetBytes(data);
        public override string Deserialize(byte[] data, SerializationContext context) => throw error;
    }
}
