using Microsoft.Extensions.Logging.Abstractions;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.ExactlyOnce;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Otto.Streams.Streamiz.Tests.Kafka;

namespace Otto.Streams.Streamiz.Tests.ExactlyOnce;

/// <summary>The guard's decisions on a state directory laid out the way Streamiz lays it out.</summary>
public sealed class ExactlyOnceStateGuardTests : IDisposable
{
    private const string ApplicationId = "otto-payments";
    private readonly string _stateDir = EmbeddedStreams.NewStateDirectory();

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    private string ApplicationDir => Path.Combine(_stateDir, ApplicationId);

    private ExactlyOnceStateGuard Guard(ProcessingGuarantee guarantee)
    {
        var config = new StreamConfig<StringSerDes, StringSerDes> { Guarantee = guarantee, ApplicationId = ApplicationId, StateDir = _stateDir };
        return new ExactlyOnceStateGuard(config);
    }

    // {StateDir}/{ApplicationId}/{subtopology}-{partition}/.checkpoint and rocksdb/{store}/..., plus global stores.
    private void LayOutStreamizState()
    {
        foreach (var task in new[] { "0-0", "0-1", "2-0" })
        {
            Directory.CreateDirectory(Path.Combine(ApplicationDir, task, "rocksdb", "latest-payment"));
            File.WriteAllText(Path.Combine(ApplicationDir, task, ".checkpoint"), "0\n0\n");
        }

        Directory.CreateDirectory(Path.Combine(ApplicationDir, "global", "rocksdb", "limits"));
    }

    private string[] Remaining() =>
        Directory.GetFileSystemEntries(ApplicationDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void A_first_start_has_no_state()
    {
        Assert.Equal(StateDirectoryVerdict.NoState, Guard(ProcessingGuarantee.EXACTLY_ONCE).PrepareForStart());
        Assert.False(Directory.Exists(ApplicationDir));
    }

    [Fact]
    public void Exactly_once_without_the_marker_wipes_every_task_folder_and_nothing_else()
    {
        LayOutStreamizState();

        Assert.Equal(StateDirectoryVerdict.Wiped, Guard(ProcessingGuarantee.EXACTLY_ONCE).PrepareForStart());

        // Global stores read their topic directly, never through a transaction: they stay.
        Assert.Equal(new[] { "global" }, Remaining());
    }

    [Fact]
    public void The_marker_of_a_clean_close_keeps_the_state_once()
    {
        LayOutStreamizState();
        Assert.True(Guard(ProcessingGuarantee.EXACTLY_ONCE).MarkCleanShutdown());

        Assert.Equal(StateDirectoryVerdict.CleanShutdown, Guard(ProcessingGuarantee.EXACTLY_ONCE).PrepareForStart());
        Assert.Equal(new[] { "0-0", "0-1", "2-0", "global" }, Remaining());

        // The start consumed the marker: a crash of this run counts as unclean.
        Assert.Equal(StateDirectoryVerdict.Wiped, Guard(ProcessingGuarantee.EXACTLY_ONCE).PrepareForStart());
    }

    [Fact]
    public void At_least_once_keeps_state_after_an_unclean_close_but_still_tracks_the_marker()
    {
        LayOutStreamizState();

        Assert.Equal(StateDirectoryVerdict.UncleanKept, Guard(ProcessingGuarantee.AT_LEAST_ONCE).PrepareForStart());
        Assert.Equal(new[] { "0-0", "0-1", "2-0", "global" }, Remaining());

        // A switch to exactly-once after an unclean at-least-once run still wipes.
        Assert.Equal(StateDirectoryVerdict.Wiped, Guard(ProcessingGuarantee.EXACTLY_ONCE).PrepareForStart());
    }

    [Fact]
    public async Task A_stream_that_ended_in_error_is_not_marked_clean()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        const string input = "pc.qa.pmt.fct.cpr.PaymentAdded";
        cluster.CreateTopic(input, 1);
        EmbeddedStreams.Produce(cluster, input, [KeyValuePair.Create("payment-1", "poison")]);
        var config = EmbeddedStreams.Config(cluster, ApplicationId, NullLoggerFactory.Instance, _stateDir, ProcessingGuarantee.EXACTLY_ONCE);
        var builder = new StreamBuilder();
        builder.Stream<string, string>(input).Peek((_, _, _) => throw new InvalidOperationException("a bug in a rule"));
        var guard = new ExactlyOnceStateGuard(config);
        guard.PrepareForStart();

        var failed = false;
        using (var stream = new KafkaStream(builder.Build(), config))
        {
            guard.Watch(stream);
            stream.StateChanged += (_, state) => failed |= state == KafkaStream.State.ERROR;
            await stream.StartAsync();
            Eventually.Blocking(() => failed, TimeSpan.FromSeconds(60), "the stream thread died and the stream went to ERROR");
        }

        Assert.False(guard.MarkCleanShutdown());
        Assert.False(File.Exists(Path.Combine(ApplicationDir, ExactlyOnceStateGuard.MarkerFileName)));
    }
}
