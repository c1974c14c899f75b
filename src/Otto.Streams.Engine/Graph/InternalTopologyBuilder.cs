using Otto.Streams.Errors;
using Otto.Streams.Processors;
using Otto.Streams.State;

namespace Otto.Streams.Graph;

/// <summary>
/// The topology graph behind the DSL: named nodes with their predecessors, stores and which nodes use them.
/// It splits the graph into sub-topologies and instantiates one sub-topology per task.
/// </summary>
internal sealed class InternalTopologyBuilder
{
    private readonly List<NodeFactory> _nodes = [];
    private readonly Dictionary<string, IStoreBuilder> _stores = [];
    private readonly Dictionary<string, int?> _repartitionTopics = [];
    private readonly List<GlobalTableDefinition> _globalTables = [];
    private int _index;

    public IReadOnlyList<NodeFactory> Nodes => _nodes;
    public IReadOnlyDictionary<string, IStoreBuilder> StoreBuilders => _stores;

    /// <summary>Repartition topics by their undecorated name, with the partition count asked for (null: as the upstream sources).</summary>
    public IReadOnlyDictionary<string, int?> RepartitionTopics => _repartitionTopics;

    /// <summary>Global tables, read whole by every instance outside of tasks.</summary>
    public IReadOnlyList<GlobalTableDefinition> GlobalTables => _globalTables;

    public void AddGlobalTable(GlobalTableDefinition table)
    {
        if (_nodes.Any(n => n.Topics.Contains(table.Topic)) || _globalTables.Any(g => g.Topic == table.Topic))
            throw new TopologyException($"topic {table.Topic} is already read by another source");
        if (_stores.ContainsKey(table.StoreName) || _globalTables.Any(g => g.StoreName == table.StoreName))
            throw new TopologyException($"store '{table.StoreName}' is added twice");
        _globalTables.Add(table);
    }

    /// <summary>Registers an internal repartition topic; at run time it is named <c>{applicationId}-{name}</c>.</summary>
    public void AddRepartitionTopic(string name, int? partitions)
    {
        if (!_repartitionTopics.TryAdd(name, partitions)) throw new TopologyException($"repartition topic '{name}' is declared twice; name the operations apart");
    }

    /// <summary>The run-time name of a topic: internal topics get the application id as prefix, as in Kafka Streams.</summary>
    public string Decorate(string topic, string? applicationId) =>
        applicationId is not null && _repartitionTopics.ContainsKey(topic) ? $"{applicationId}-{topic}" : topic;

    /// <summary>A Kafka Streams-style generated name, e.g. KSTREAM-FILTER-0000000003.</summary>
    public string NewName(string prefix) => $"{prefix}-{_index++:D10}";

    public void AddNode(NodeFactory node)
    {
        if (string.IsNullOrWhiteSpace(node.Name)) throw new TopologyException("a node name must not be empty");
        if (_nodes.Any(n => n.Name == node.Name)) throw new TopologyException($"node name '{node.Name}' is used twice");
        foreach (var parent in node.Predecessors)
        {
            var p = _nodes.FirstOrDefault(n => n.Name == parent) ?? throw new TopologyException($"node '{node.Name}' names unknown parent '{parent}'");
            if (p.Kind == NodeKind.Sink) throw new TopologyException($"sink '{parent}' cannot have children");
        }
        if (node.Kind == NodeKind.Source)
        {
            var taken = node.Topics.Where(t => _nodes.Any(n => n.Topics.Contains(t)) || _globalTables.Any(g => g.Topic == t)).ToList();
            if (taken.Count > 0) throw new TopologyException($"topic(s) {string.Join(", ", taken)} are already read by another source");
        }
        _nodes.Add(node);
    }

    public void AddStateStore(IStoreBuilder store, params string[] processorNames)
    {
        if (_stores.ContainsKey(store.Name)) throw new TopologyException($"store '{store.Name}' is added twice");
        _stores.Add(store.Name, store);
        foreach (var name in processorNames) ConnectProcessorAndStore(name, store.Name);
    }

    public void ConnectProcessorAndStore(string processorName, string storeName)
    {
        if (_globalTables.Any(g => g.StoreName == storeName))
        {
            // Global stores are shared, not part of a task: noted for the topology's description only.
            var reader = _nodes.FirstOrDefault(n => n.Name == processorName) ?? throw new TopologyException($"unknown processor '{processorName}'");
            if (!reader.GlobalStoreNames.Contains(storeName)) reader.GlobalStoreNames.Add(storeName);
            return;
        }
        if (!_stores.ContainsKey(storeName)) throw new TopologyException($"processor '{processorName}' uses unknown store '{storeName}'; add the store first");
        var node = _nodes.FirstOrDefault(n => n.Name == processorName) ?? throw new TopologyException($"unknown processor '{processorName}'");
        if (!node.StoreNames.Contains(storeName)) node.StoreNames.Add(storeName);
    }

    /// <summary>Sub-topologies in order of their first node, as Kafka Streams numbers them. With an application id,
    /// internal topics carry their run-time names; without, their names as <see cref="Topology.Describe"/> shows them.</summary>
    public IReadOnlyList<Subtopology> Subtopologies(string? applicationId = null)
    {
        var parent = _nodes.ToDictionary(n => n.Name, n => n.Name);
        string Find(string x) => parent[x] == x ? x : parent[x] = Find(parent[x]);
        void Union(string a, string b) => parent[Find(a)] = Find(b);

        foreach (var node in _nodes)
            foreach (var p in node.Predecessors) Union(node.Name, p);
        foreach (var group in _nodes.SelectMany(n => n.StoreNames.Select(s => (Store: s, Node: n.Name))).GroupBy(x => x.Store))
            foreach (var other in group.Skip(1)) Union(other.Node, group.First().Node);

        return _nodes.GroupBy(n => Find(n.Name))
            .Select((g, id) => new Subtopology(
                id,
                g.Select(n => n.Name).ToList(),
                g.SelectMany(n => n.Topics).Select(t => Decorate(t, applicationId)).ToList(),
                g.Where(n => n.SinkTopic is not null).Select(n => Decorate(n.SinkTopic!, applicationId)).Distinct().ToList(),
                g.SelectMany(n => n.StoreNames).Distinct().ToList()))
            .ToList();
    }

    /// <summary>Fresh node instances of one sub-topology, linked parent → children.</summary>
    public ProcessorTopology Instantiate(Subtopology subtopology, StreamConfig config)
    {
        var factories = _nodes.Where(n => subtopology.NodeNames.Contains(n.Name)).ToList();
        var instances = factories.ToDictionary(f => f.Name, f => f.Create(config));
        foreach (var f in factories)
            foreach (var p in f.Predecessors) instances[p].Children.Add(instances[f.Name]);

        var sources = new Dictionary<string, SourceNode>();
        foreach (var f in factories.Where(f => f.Kind == NodeKind.Source))
            foreach (var topic in f.Topics) sources[Decorate(topic, config.ApplicationId)] = (SourceNode)instances[f.Name];

        return new ProcessorTopology(sources, factories.Select(f => instances[f.Name]).ToList(),
            subtopology.StoreNames.Select(s => _stores[s] is IConfigurableStoreBuilder c ? c.For(config) : _stores[s]).ToList());
    }
}

/// <summary>The instantiated graph of one task: sources by topic, all nodes in topological order, store builders.</summary>
internal sealed record ProcessorTopology(IReadOnlyDictionary<string, SourceNode> SourcesByTopic, IReadOnlyList<ProcessorNode> Nodes, IReadOnlyList<IStoreBuilder> Stores);
