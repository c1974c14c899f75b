namespace Otto.Streams.Streamiz.CoPartitioning;

/// <summary>The external topics one Streamiz sub-topology reads: its tasks get partition p of every one of them.</summary>
/// <param name="SubTopologyId">The sub-topology's id in <c>Topology.Describe()</c> (the first half of its task ids).</param>
/// <param name="Topics">The source topics, sorted, without the repartition topics Streamiz sizes itself.</param>
public sealed record SubTopologySources(int SubTopologyId, IReadOnlyList<string> Topics);
