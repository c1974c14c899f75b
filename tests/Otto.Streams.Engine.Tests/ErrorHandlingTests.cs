using System.Text;
using Otto.Streams.Errors;

namespace Otto.Streams.Engine.Tests;

public class ErrorHandlingTests
{
    private static readonly byte[] InvalidUtf8 = [0xC3, 0x28];

    private static StreamBuilder Build()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").MapValues(v => v == "boom" ? throw new InvalidOperationException("processor exploded") : v).To("out");
        return builder;
    }

    [Fact]
    public void Undeserializable_record_goes_to_the_dead_letter_topic_with_its_bytes_and_origin_and_processing_goes_on()
    {
        using var driver = Driver.For(Build(), ErrorHandling.DeadLetter);
        var input = driver.Input("in");

        input.PipeInput("k1", "before");
        input.PipeRaw(Encoding.UTF8.GetBytes("k2"), InvalidUtf8);
        input.PipeInput("k3", "after");

        Assert.Equal([("k1", "before"), ("k3", "after")], driver.Output("out").ReadAll());
        var dead = Assert.Single(driver.CreateOutputTopic("dlq", new Otto.Streams.SerDes.StringSerDes(), new Otto.Streams.SerDes.ByteArraySerDes()).ReadRecordsToList());
        Assert.Equal("k2", dead.Key);
        Assert.Equal(InvalidUtf8, dead.Value);
        Assert.Equal("in", dead.Header(DeadLetterHeaders.Topic));
        Assert.Equal("0", dead.Header(DeadLetterHeaders.Partition));
        Assert.Equal("1", dead.Header(DeadLetterHeaders.Offset));
        Assert.Equal("deserialization", dead.Header(DeadLetterHeaders.Stage));
        Assert.Contains("Unable to translate bytes", dead.Header(DeadLetterHeaders.ExceptionMessage));
    }

    [Fact]
    public void Processing_exception_is_dead_lettered_with_the_processing_stage()
    {
        using var driver = Driver.For(Build(), ErrorHandling.DeadLetter);
        driver.Input("in").PipeInput("k", "boom");
        driver.Input("in").PipeInput("k", "fine");

        Assert.Equal([("k", "fine")], driver.Output("out").ReadAll());
        var dead = Assert.Single(driver.Output("dlq").ReadRecordsToList());
        Assert.Equal("boom", dead.Value);
        Assert.Equal("processing", dead.Header(DeadLetterHeaders.Stage));
        Assert.Equal(typeof(InvalidOperationException).FullName, dead.Header(DeadLetterHeaders.ExceptionClass));
    }

    [Fact]
    public void Fail_handling_raises_an_error_naming_the_record()
    {
        using var driver = Driver.For(Build(), ErrorHandling.Fail);
        var error = Assert.Throws<StreamsException>(() => driver.Input("in").PipeRaw(null, InvalidUtf8));
        Assert.Contains("deserialization failed for record in[0]@0", error.Message);
    }

    [Fact]
    public void Log_and_continue_skips_the_record_without_output()
    {
        using var driver = Driver.For(Build(), ErrorHandling.LogAndContinue);
        driver.Input("in").PipeRaw(null, InvalidUtf8);
        driver.Input("in").PipeInput("k", "ok");

        Assert.Equal([("k", "ok")], driver.Output("out").ReadAll());
    }

    [Fact]
    public void Dead_letter_handling_without_a_topic_is_a_configuration_error()
    {
        var config = new StreamConfig { ApplicationId = "x", DeserializationErrors = ErrorHandling.DeadLetter };
        Assert.Throws<ArgumentException>(config.Validate);
    }
}
