using Otto.Streams.Worker.Configuration;
using Streamiz.Kafka.Net;

namespace Otto.IntegrationTests;

/// <summary>The Streamiz settings Otto changes from Streamiz's defaults (README: "The Streamiz settings Otto changes").</summary>
public class StreamConfigTests
{
    [Fact]
    public void Otto_changes_idle_restore_batch_commit_interval_and_offset_reset()
    {
        var config = OttoRuntime.StreamConfig(new OttoOptions());

        Assert.Equal(500, config.MaxTaskIdleMs);
        Assert.Equal(10_000, config.MaxPollRestoringRecords);
        Assert.Equal(5_000, config.CommitIntervalMs); // kept although setting the guarantee resets it
        Assert.Equal(Confluent.Kafka.AutoOffsetReset.Earliest, config.AutoOffsetReset);
    }

    [Fact]
    public void Settings_under_Streamizs_own_keys_override_Ottos()
    {
        var options = new OttoOptions { Streams = { Guarantee = ProcessingGuarantee.AT_LEAST_ONCE } };
        options.Kafka.Properties["max.poll.restoring.records"] = "2500";
        options.Kafka.Properties["metrics.recording.level"] = "DEBUG"; // README's advice for task and store metrics
        options.Kafka.Properties["main.consumer.session.timeout.ms"] = "6000";

        var config = OttoRuntime.StreamConfig(options);

        Assert.Equal(2_500, config.MaxPollRestoringRecords);
        Assert.Equal(Streamiz.Kafka.Net.Metrics.MetricsRecordingLevel.DEBUG, config.MetricsRecording);
        Assert.Equal(6000, config.ToConsumerConfig("c", true).SessionTimeoutMs);
    }

    [Fact]
    public void A_value_that_is_not_of_the_settings_type_is_refused_with_its_key()
    {
        var options = new OttoOptions();
        options.Kafka.Properties["max.poll.restoring.records"] = "many";

        Assert.Contains("max.poll.restoring.records", Assert.Throws<ArgumentException>(() => OttoRuntime.StreamConfig(options)).Message);
    }
}
