using Otto.Streams.Graph;
using Otto.Streams.Processors;
using Otto.Streams.Processors.Join;
using Otto.Streams.SerDes;
using Otto.Streams.State;

namespace Otto.Streams.Stream;

/// <summary>Builds a windowed stream-stream join as Kafka Streams does: both inputs repartitioned if their key
/// changed, one window store per side (duplicates kept, retention before + after + grace), a join node per side,
/// a shared buffer for unmatched records of left/outer joins, and a merge node.</summary>
internal static class KStreamJoin
{
    public static IKStream<K, VR> Build<K, V, VO, VR>(KStream<K, V> left, KStream<K, VO> right, Func<V?, VO?, VR> joiner, JoinWindows windows,
        StreamJoined<K, V, VO>? joined, JoinKind kind)
    {
        var builder = left.Builder;
        var keySerDes = joined?.KeySerDes ?? left.KeySerDes ?? right.KeySerDes;
        var (leftValues, rightValues) = (joined?.ValueSerDes ?? left.ValueSerDes, joined?.OtherValueSerDes ?? right.ValueSerDes);
        left = left.RepartitionedIfRequired(joined?.Name is { } n ? $"{n}-left" : left.NodeName, keySerDes, leftValues);
        right = right.RepartitionedIfRequired(joined?.Name is { } m ? $"{m}-right" : right.NodeName, keySerDes, rightValues);

        var thisName = builder.NewName(kind == JoinKind.Outer ? "KSTREAM-OUTERTHIS" : "KSTREAM-JOINTHIS");
        var otherName = builder.NewName(kind == JoinKind.Inner ? "KSTREAM-JOINOTHER" : "KSTREAM-OUTEROTHER");
        var thisStore = joined?.Name is { } a ? $"{a}-this-join-store" : $"{thisName}-store";
        var otherStore = joined?.Name is { } b ? $"{b}-other-join-store" : $"{otherName}-store";
        var outerStore = kind == JoinKind.Inner ? null : joined?.Name is { } c ? $"{c}-outer-shared-join-store" : $"{builder.NewName("KSTREAM-OUTERSHARED")}-store";
        var mergeName = builder.NewName("KSTREAM-MERGE");
        object? Join(object? l, object? r) => joiner(Untyped.As<V>(l), Untyped.As<VO>(r));

        ProcessorNode Node(string name, JoinSide side, string mine, string theirs, StreamConfig config) => new KStreamKStreamJoinNode(name, kind, side, mine, theirs,
            outerStore, windows, Join, SerDesResolver.Key(keySerDes, config, name), SerDesResolver.Value(leftValues, config, name), SerDesResolver.Value(rightValues, config, name));
        builder.AddNode(new NodeFactory(thisName, NodeKind.Processor, [left.NodeName], config => Node(thisName, JoinSide.Left, thisStore, otherStore, config)));
        builder.AddNode(new NodeFactory(otherName, NodeKind.Processor, [right.NodeName], config => Node(otherName, JoinSide.Right, otherStore, thisStore, config)));
        builder.AddNode(new NodeFactory(mergeName, NodeKind.Processor, [thisName, otherName], _ => new StatelessNode(mergeName, (n, k, v) => n.Emit(k, v))));

        builder.AddStateStore(DslStoreBuilder.Window<K, V>(thisStore, null, keySerDes, leftValues, windows.RetentionMs, retainDuplicates: true), thisName, otherName);
        builder.AddStateStore(DslStoreBuilder.Window<K, VO>(otherStore, null, keySerDes, rightValues, windows.RetentionMs, retainDuplicates: true), thisName, otherName);
        if (outerStore is not null)
        {
            var bytes = new ByteArraySerDes();
            builder.AddStateStore(new DslStoreBuilder(outerStore, true, _ => Stores.KeyValueStoreBuilder(DslStoreBuilder.DefaultSupplier(outerStore), bytes, bytes).WithCachingDisabled()),
                thisName, otherName);
        }
        return new KStream<K, VR>(builder, mergeName, keySerDes, null);
    }
}
