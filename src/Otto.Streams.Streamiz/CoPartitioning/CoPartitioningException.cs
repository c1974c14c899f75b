using Streamiz.Kafka.Net.Errors;

namespace Otto.Streams.Streamiz.CoPartitioning;

/// <summary>
/// The topology cannot run correctly on this cluster: a sub-topology reads topics with different partition counts,
/// or some of its source topics do not exist. Derives from Streamiz's <see cref="TopologyException"/>, the error it
/// raises for topologies it cannot build.
/// </summary>
public sealed class CoPartitioningException : TopologyException
{
    /// <summary>Creates the exception with its one-line-per-problem message.</summary>
    public CoPartitioningException(string message)
        : base(message)
    {
    }
}
