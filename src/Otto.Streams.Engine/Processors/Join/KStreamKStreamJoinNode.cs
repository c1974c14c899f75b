using Confluent.Kafka;
using Otto.Streams.SerDes;
using Otto.Streams.State;
using Otto.Streams.State.Window;

namespace Otto.Streams.Processors.Join;

/// <summary>
/// One side of a windowed stream-stream join (Kafka Streams ≥ 3.1 semantics). A record is buffered in this side's
/// window store and joined with every record of the other side's store within the window. Stream time is the task's.
/// A record whose window already closed (beyond grace) is dropped and counted. In a left/outer join, a record of an
/// outer side that finds no partner waits in the shared <see cref="OuterJoinBuffer"/> and is emitted with a null
/// partner when its window closes, unless a partner arrives first. The joiner always takes (left, right).
/// </summary>
internal sealed class KStreamKStreamJoinNode(string name, JoinKind kind, JoinSide side, string thisStore, string otherStore, string? outerStore,
    Stream.JoinWindows windows, Func<object?, object?, object?> joiner, ISerDes keySerDes, ISerDes leftValueSerDes, ISerDes rightValueSerDes)
    : ProcessorNode(name)
{
    private IUntypedWindowStore _this = null!;
    private IUntypedWindowStore _other = null!;
    private OuterJoinBuffer? _outer;
    private string _changelog = "";
    private readonly long _before = side == JoinSide.Left ? windows.BeforeMs : windows.AfterMs;
    private readonly long _after = side == JoinSide.Left ? windows.AfterMs : windows.BeforeMs;
    private readonly bool _outerSide = !kind.Requires(side.Other());

    public override void Init(Runtime.ProcessorContextImpl context)
    {
        base.Init(context);
        _this = context.GetStateStore<IUntypedWindowStore>(thisStore);
        _other = context.GetStateStore<IUntypedWindowStore>(otherStore);
        if (outerStore is null) return;
        _outer = new OuterJoinBuffer(context.GetStateStore<IKeyValueStore<byte[], byte[]>>(outerStore));
        _changelog = Runtime.ProcessorStateManager.ChangelogTopicFor(context.ApplicationId, outerStore);
    }

    public override void Process(object? key, object? value)
    {
        if (DroppedForNulls(key, value, valueRequired: true)) return;
        ProcessRecord(key!, value!);
    }

    private void ProcessRecord(object key, object value)
    {
        var timestamp = Context.Timestamp;
        var streamTime = Math.Max(Context.StreamTimeMs, timestamp);
        if (timestamp + _after + windows.GraceMs < streamTime)
        {
            DslMetrics.LateRecords.Add(1, new KeyValuePair<string, object?>("node", Name));
            Context.RecordDropped(Name, $"late record: join window closed at stream time {streamTime}");
            return;
        }
        _this.Put(key, value, timestamp);
        if (timestamp == streamTime) EmitClosed(streamTime);

        var matched = false;
        foreach (var (otherTimestamp, otherValue) in _other.FetchObjects(key, timestamp - _before, timestamp + _after))
        {
            matched = true;
            _outer?.RemoveMatched(side.Other(), KeyBytes(key), otherTimestamp);
            Context.Forward(this, key, Join(value, otherValue), Math.Max(timestamp, otherTimestamp), null);
        }
        if (matched || !_outerSide) return;
        // A window that is already over (the record is late but within grace) cannot wait: emit at once, as Kafka Streams does.
        if (_outer is null || timestamp + _after < streamTime) Forward(key, Join(value, null));
        else _outer.Add(side, KeyBytes(key), timestamp, ValueSerDes(side).SerializeObject(value, ValueContext(side)));
    }

    /// <summary>Emits, with a null partner, the buffered records whose window closed (either side's).</summary>
    private void EmitClosed(long streamTime)
    {
        if (_outer is null) return;
        var lastOpen = streamTime - Math.Min(windows.BeforeMs, windows.AfterMs) - windows.GraceMs;
        foreach (var (bufferedSide, keyBytes, timestamp, valueBytes) in _outer.TakeClosed(lastOpen, (s, t) => t + AfterOf(s) + windows.GraceMs < streamTime))
        {
            var key = keySerDes.DeserializeObject(keyBytes, new SerializationContext(MessageComponentType.Key, _changelog));
            var value = ValueSerDes(bufferedSide).DeserializeObject(valueBytes, ValueContext(bufferedSide));
            var result = bufferedSide == JoinSide.Left ? joiner(value, null) : joiner(null, value);
            Context.Forward(this, key, result, timestamp, null);
        }
    }

    private long AfterOf(JoinSide s) => s == JoinSide.Left ? windows.AfterMs : windows.BeforeMs;
    private object? Join(object mine, object? theirs) => side == JoinSide.Left ? joiner(mine, theirs) : joiner(theirs, mine);
    private ISerDes ValueSerDes(JoinSide s) => s == JoinSide.Left ? leftValueSerDes : rightValueSerDes;
    private SerializationContext ValueContext(JoinSide s) => new(MessageComponentType.Value, _changelog);
    private byte[] KeyBytes(object key) => keySerDes.SerializeObject(key, new SerializationContext(MessageComponentType.Key, _changelog));
}
