namespace Otto.Streams.Errors;

/// <summary>An error of the stream processor itself (topology, configuration, runtime), as opposed to a user exception.</summary>
public class StreamsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StreamsException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The topology is invalid (unknown store, bad name, non-co-partitioned join inputs...).</summary>
public sealed class TopologyException : StreamsException
{
    /// <summary>Creates the exception.</summary>
    public TopologyException(string message) : base("Invalid topology: " + message) { }
}
