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

/// <summary>The thread's tasks may already belong to another instance (its producer was fenced, or its partitions
/// were lost): they are closed without committing and the thread rejoins the group.</summary>
public sealed class TaskMigratedException : StreamsException
{
    /// <summary>Creates the exception.</summary>
    public TaskMigratedException(string message, Exception? inner = null) : base(message, inner) { }
}
