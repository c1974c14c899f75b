using Otto.Streams.Processors;

namespace Otto.Streams.Engine.Tests;

/// <summary>The context's RecordMetadata is built lazily from the record in hand (the hot path allocates none),
/// and the test driver refills one record object per topic: what a processor keeps must not change later.</summary>
public class RecordMetadataTests
{
    private sealed class MetadataKeeper(List<RecordMetadata?> seen) : IProcessor<string, string, string, string>
    {
        private IProcessorContext<string, string> _context = null!;

        public void Init(IProcessorContext<string, string> context)
        {
            _context = context;
            context.Schedule(TimeSpan.FromSeconds(1), PunctuationType.WallClockTime, _ => seen.Add(_context.RecordMetadata));
        }

        public void Process(Record<string, string> record) => seen.Add(_context.RecordMetadata);
    }

    [Fact]
    public void Each_record_has_its_own_topic_partition_and_offset_and_punctuations_have_none()
    {
        var seen = new List<RecordMetadata?>();
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").Process(() => new MetadataKeeper(seen));
        using var driver = Driver.For(builder);
        var input = driver.Input("in");

        input.PipeInput("a", "x");
        input.PipeInput("b", "y");
        driver.AdvanceWallClockTime(TimeSpan.FromSeconds(1));

        Assert.Equal([new RecordMetadata("in", 0, 0), new RecordMetadata("in", 0, 1), null], seen);
    }
}
