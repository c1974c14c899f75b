using Otto.Streams.Graph;
using Otto.Streams.Processors;
using static Otto.Streams.Stream.Untyped;

namespace Otto.Streams.Stream;

/// <summary>The split node and its branches: each branch is a pass-through child named after the split, which the
/// branch node addresses by name.</summary>
internal sealed class BranchedKStream<K, V> : IBranchedKStream<K, V>
{
    private readonly KStream<K, V> _stream;
    private readonly string _splitName;
    private readonly List<(Func<object?, object?, bool> Predicate, string Child)> _branches = [];
    private readonly Dictionary<string, IKStream<K, V>> _result = [];
    private string? _defaultChild;
    private bool _ended;

    public BranchedKStream(KStream<K, V> stream, string splitName)
    {
        (_stream, _splitName) = (stream, splitName);
        stream.Builder.AddNode(new NodeFactory(splitName, NodeKind.Processor, [stream.NodeName], _ => new BranchNode(splitName, _branches, _defaultChild)));
    }

    public IBranchedKStream<K, V> Branch(Func<K, V, bool> predicate, Branched<K, V>? branched = null)
    {
        var child = AddBranch(branched, (_branches.Count + 1).ToString());
        _branches.Add(((k, v) => predicate(As<K>(k), As<V>(v)), child));
        return this;
    }

    public IDictionary<string, IKStream<K, V>> DefaultBranch(Branched<K, V>? branched = null)
    {
        _defaultChild = AddBranch(branched, "0");
        return NoDefaultBranch();
    }

    public IDictionary<string, IKStream<K, V>> NoDefaultBranch()
    {
        _ended = true;
        return _result;
    }

    private string AddBranch(Branched<K, V>? branched, string number)
    {
        if (_ended) throw new Errors.TopologyException($"split '{_splitName}' already ended; add branches before DefaultBranch/NoDefaultBranch");
        var name = _splitName + (branched?.Name ?? number);
        var branch = new KStream<K, V>(_stream.Builder, _stream.AddStateless("", name, (n, k, v) => n.Emit(k, v), _splitName),
            _stream.KeySerDes, _stream.ValueSerDes, _stream.RepartitionRequired);
        var result = branched?.Chain is { } chain ? chain(branch) : branch;
        if (result is not null) _result[name] = result;
        return name;
    }
}
