using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Otto.Streams.EmbeddedKafka;
using Otto.Streams.Streamiz.CatchUp;
using Otto.Streams.Streamiz.Kafka;
using Otto.Streams.Streamiz.Tests.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors.Public;
using Xunit.Abstractions;

namespace Otto.Streams.Streamiz.Tests.CatchUp;

/// <summary>
/// A real KafkaStream takes over partitions whose backlog holds a payment and, behind a slow partition, its reply: the
/// reply is processed long after the payment and after its deadline, and no deadline is judged before it is.
/// (The issue: three workers, one SIGKILLed; a surviving task flagged NO_CORE_REPLY while the reply was waiting in
/// the topic.)
/// </summary>
public sealed class TakeoverBacklogTests(ITestOutputHelper output) : IDisposable
{
    private const string App = "takeover";
    private const string Payments = "payments";
    private const string Replies = "replies";
    // The judge's reply timeout and punctuation: short, so a judge that does not wait would flag within the test.
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan JudgeEvery = TimeSpan.FromMilliseconds(20);
    // The replies partition's leader answers every request this late, and the consumer fetches one record a request:
    // its backlog of 12 replies takes seconds to arrive.
    private static readonly TimeSpan SlowLeaderRtt = TimeSpan.FromMilliseconds(250);
    private const int OtherReplies = 11;

    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start(brokers: 2);
    private readonly string _stateDir = Directory.CreateTempSubdirectory("otto-catchup-").FullName;
    private readonly TestOutputLogger _log = new(output, LogLevel.Information);

    public void Dispose()
    {
        _cluster.Dispose();
        Directory.Delete(_stateDir, recursive: true);
    }

    [Fact]
    public async Task A_task_that_takes_over_judges_no_deadline_before_it_read_the_reply_waiting_in_its_backlog()
    {
        _cluster.CreateTopic(Payments, 1, replicationFactor: 2);
        _cluster.CreateTopic(Replies, 1, replicationFactor: 2);
        _cluster.SetPartitionLeader(Payments, 0, 1);
        _cluster.SetPartitionLeader(Replies, 0, 2);
        _cluster.SetCoordinator(CoordinatorType.Group, App, 1);
        using (var producer = EmbeddedStreams.Producer(_cluster))
        {
            // What the previous owner processed and committed before it died...
            Send(producer, Payments, "p0", "asked");
            Send(producer, Replies, "p0", "reply");
            Commit(new TopicPartitionOffset(Payments, 0, 1), new TopicPartitionOffset(Replies, 0, 1));
            // ...and the backlog it left: payment p1 asked the core, then replies, p1's the last one.
            Send(producer, Payments, "p1", "asked");
            for (var i = 0; i < OtherReplies; i++)
            {
                Send(producer, Replies, $"x{i}", "reply");
            }

            Send(producer, Replies, "p1", "reply");
        }

        _cluster.SetBrokerRtt(2, SlowLeaderRtt);
        var config = EmbeddedStreams.Config(_cluster, App, _log, _stateDir);
        config.MaxPartitionFetchBytes = 1; // one record batch a fetch
        var catchUp = new TakeoverCatchUp(new KafkaBacklogProbe(config, TimeSpan.FromSeconds(30)), _log);
        var events = new Events();
        var builder = new StreamBuilder();
        builder.Stream<string, string>(Payments)
            .Merge(builder.Stream<string, string>(Replies))
            .Process(ProcessorBuilder.New<string, string>().Processor<DeadlineJudge>(catchUp, events).Build(), "judge");
        using var stream = new KafkaStream(builder.Build(), config, new OttoKafkaSupplier(config, _cluster));

        await stream.StartAsync();
        Eventually.Blocking(() => events.JudgedAfterReplyTo("p1"), TimeSpan.FromSeconds(60), "a judgment after p1's reply was processed");

        var all = events.All;
        foreach (var e in all)
        {
            output.WriteLine(e.ToString());
        }

        var asked = Assert.Single(all, e => e is { Kind: "processed", Key: "p1", Topic: Payments });
        var replied = Assert.Single(all, e => e is { Kind: "processed", Key: "p1", Topic: Replies });
        var caughtUp = events.FirstCaughtUp()!;
        // The reply came long after the payment and its deadline: a judge that did not wait would have flagged p1.
        Assert.True(replied.AtMs - asked.AtMs > ReplyTimeout.TotalMilliseconds, $"the reply came {replied.AtMs - asked.AtMs} ms after the payment");
        Assert.Contains(all, e => e.Kind == "judged" && e.Seq > asked.Seq && e.Seq < replied.Seq && e.AtMs > asked.RecordMs + ReplyTimeout.TotalMilliseconds);
        // No deadline was judged before the backlog's last record was processed, and none was judged wrong.
        Assert.DoesNotContain(all, e => e.Kind == "flagged");
        Assert.True(caughtUp.Seq > replied.Seq, $"judged while caught up at #{caughtUp.Seq}, before the reply (#{replied.Seq})");
        Assert.Contains(_log.Lines, l => l.Message.Contains("read the backlog of its input partitions"));
    }

    private static void Send(IProducer<byte[], byte[]> producer, string topic, string key, string value)
    {
        EmbeddedStreams.Produce(producer, topic, key, EmbeddedStreams.Utf8(value));
        producer.Flush(TimeSpan.FromSeconds(10)); // each record its own batch
    }

    // The previous owner's commit, for the stream's group.
    private void Commit(params TopicPartitionOffset[] offsets)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = App,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Commit(offsets);
    }

    /// <summary>What the judge did, in the order it did it (all on the stream thread).</summary>
    private sealed record Event(long Seq, string Kind, long AtMs, string? Topic = null, string? Key = null, long RecordMs = 0, bool CaughtUp = false);

    private sealed class Events
    {
        private readonly List<Event> _events = [];

        public IReadOnlyList<Event> All
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public void Add(Func<long, Event> make)
        {
            lock (_events)
            {
                _events.Add(make(_events.Count));
            }
        }

        public Event? FirstCaughtUp() => All.FirstOrDefault(e => e is { Kind: "judged", CaughtUp: true });

        public bool JudgedAfterReplyTo(string key) =>
            All.SkipWhile(e => e is not { Kind: "processed", Topic: Replies } || e.Key != key).Any(e => e.Kind == "judged");
    }

    /// <summary>Judges reply deadlines the way the payment processor does: a wall-clock punctuation flags every
    /// payment whose reply is overdue (asked at its record's time), but only once the task has caught up.</summary>
    private sealed class DeadlineJudge : IProcessor<string, string>
    {
        private readonly TakeoverCatchUp? _catchUpFactory;
        private readonly Events? _events;
        private readonly Dictionary<string, long> _awaiting = [];
        private ProcessorContext<string, string> _context = null!;
        private TaskCatchUp _catchUp = null!;

        public DeadlineJudge()
        {
        }

        public DeadlineJudge(TakeoverCatchUp catchUp, Events events)
        {
            _catchUpFactory = catchUp;
            _events = events;
        }

        public void Init(ProcessorContext<string, string> context)
        {
            _context = context;
            _catchUp = _catchUpFactory!.Start(context, [Payments, Replies], TimeSpan.FromSeconds(60));
            context.Schedule(JudgeEvery, PunctuationType.PROCESSING_TIME, Judge);
        }

        public void Process(Record<string, string> record)
        {
            _catchUp.Processed(_context);
            if (_context.Topic == Payments)
            {
                _awaiting[record.Key] = record.Timestamp.UnixTimestampMs;
            }
            else
            {
                _awaiting.Remove(record.Key);
            }

            _events!.Add(seq => new Event(seq, "processed", _context.WallClockTime, _context.Topic, record.Key, record.Timestamp.UnixTimestampMs));
        }

        private void Judge(long nowMs)
        {
            var caughtUp = _catchUp.IsCaughtUp(nowMs);
            _events!.Add(seq => new Event(seq, "judged", nowMs, CaughtUp: caughtUp));
            if (!caughtUp)
            {
                return;
            }

            foreach (var (key, askedAt) in _awaiting.Where(a => nowMs - a.Value > ReplyTimeout.TotalMilliseconds).ToList())
            {
                _awaiting.Remove(key);
                _events.Add(seq => new Event(seq, "flagged", nowMs, Key: key));
            }
        }

        public void Close() => _catchUp.Dispose();
    }
}
