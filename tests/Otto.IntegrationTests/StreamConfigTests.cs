using Otto.Streams.Worker.Configuration;
using Streamiz.Kafka.Net;

namespace Otto.IntegrationTests;

/// <summary>The Streamiz settings Otto changes from Streamiz's defaults (README: "The Streamiz settings Otto changes").</summary>
public class StreamConfigTests
{
    [Fact]
    public void Otto_changes_idle_restore_batch_poll_commit_interval_and_offset_reset()
    {
        var config = OttoRuntime.StreamConfig(new OttoOptions());

        Assert.Equal(500, config.MaxTaskIdleMs);
        Assert.Equal(10_000, config.MaxPollRestoringRecords);
        Assert.Equal(10, config.PollMs);
        Assert.Equal(5_000, config.CommitIntervalMs); // kept although setting the guarantee resets it
        Assert.Equal(Confluent.Kafka.AutoOffsetReset.Earliest, config.AutoOffsetReset);
    }

    [Fact]
    public void Settings_under_Streamizs_own_keys_override_Ottos()
    {
        var options = new OttoOptions { Streams = { Guarantee = ProcessingGuarantee.AT_LEAST_ONCE } };
        options.Kafka.Properties["max.poll.restoring.records"] = "2500";
        options.Kafka.Properties["poll.ms"] = "50";
        options.Kafka.Properties["metrics.recording.level"] = "DEBUG"; // README's advice for task and store metrics
        options.Kafka.Properties["main.consumer.session.timeout.ms"] = "6000";

        var config = OttoRuntime.StreamConfig(options);

        Assert.Equal(2_500, config.MaxPollRestoringRecords);
        Assert.Equal(50, config.PollMs);
        Assert.Equal(Streamiz.Kafka.Net.Metrics.MetricsRecordingLevel.DEBUG, config.MetricsRecording);
        Assert.Equal(6000, config.ToConsumerConfig("c", true).SessionTimeoutMs);
    }

    [Fact]
    public void A_group_instance_id_goes_to_the_main_consumer_only_with_a_long_session_timeout_unless_one_is_set()
    {
        var options = new OttoOptions { Streams = { GroupInstanceId = "otto-2" } };

        var config = OttoRuntime.StreamConfig(options);

        Assert.Equal("otto-2", config.ToConsumerConfig("c", true).GroupInstanceId); // Otto's supplier adds the thread index
        Assert.Equal(120_000, config.ToConsumerConfig("c", true).SessionTimeoutMs);
        Assert.Null(config.ToRestoreConsumerConfig("r").GroupInstanceId);
        Assert.Null(config.ToGlobalConsumerConfig("g").GroupInstanceId);

        options.Kafka.Properties["main.consumer.session.timeout.ms"] = "6000"; // the embedded cluster's
        Assert.Equal(6000, OttoRuntime.StreamConfig(options).ToConsumerConfig("c", true).SessionTimeoutMs);
    }

    [Fact]
    public void Without_a_group_instance_id_membership_is_dynamic_with_librdkafkas_session_timeout()
    {
        var config = OttoRuntime.StreamConfig(new OttoOptions());

        Assert.Null(config.ToConsumerConfig("c", true).GroupInstanceId);
        Assert.Null(config.ToConsumerConfig("c", true).SessionTimeoutMs);
    }

    [Fact]
    public void Security_settings_take_librdkafkas_spelling()
    {
        var options = new OttoOptions();
        options.Kafka.Properties["security.protocol"] = "SASL_SSL"; // README's example
        options.Kafka.Properties["sasl.mechanism"] = "SCRAM-SHA-256";

        var config = OttoRuntime.StreamConfig(options).ToAdminConfig("a");

        Assert.Equal(Confluent.Kafka.SecurityProtocol.SaslSsl, config.SecurityProtocol);
        Assert.Equal(Confluent.Kafka.SaslMechanism.ScramSha256, config.SaslMechanism);
    }

    [Fact]
    public void A_value_that_is_not_of_the_settings_type_is_refused_with_its_key()
    {
        var options = new OttoOptions();
        options.Kafka.Properties["max.poll.restoring.records"] = "many";

        Assert.Contains("max.poll.restoring.records", Assert.Throws<ArgumentException>(() => OttoRuntime.StreamConfig(options)).Message);
    }
}
