namespace Otto.Streams.Errors;

/// <summary>
/// An interactive query cannot be answered from this instance now: the store name is unknown, or the stream is
/// not running (created, rebalancing, restoring, closing, failed), or the store was closed under the query
/// because its task moved. The first is permanent; the others pass (ask again, or ask the instance that
/// <see cref="KafkaStream.QueryMetadataForKey{K}"/> names).
/// </summary>
public sealed class InvalidStateStoreException : StreamsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the store.</param>
    /// <param name="streamState">The stream's state when it was raised.</param>
    /// <param name="unknownStore">True when the topology has no such store (asking again will not help).</param>
    /// <param name="inner">The underlying error, if any.</param>
    public InvalidStateStoreException(string message, KafkaStreamState streamState, bool unknownStore = false, Exception? inner = null)
        : base(message, inner)
    {
        StreamState = streamState;
        UnknownStore = unknownStore;
    }

    /// <summary>The stream's state when the query was refused.</summary>
    public KafkaStreamState StreamState { get; }

    /// <summary>True when the topology has no store of that name.</summary>
    public bool UnknownStore { get; }
}
