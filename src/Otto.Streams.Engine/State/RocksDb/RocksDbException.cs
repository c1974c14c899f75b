namespace Otto.Streams.State.RocksDb;

/// <summary>A RocksDB operation failed. <see cref="Exception.Message"/> says what was attempted (and on
/// which directory); <see cref="RocksDbMessage"/> is RocksDB's own error text.</summary>
public sealed class RocksDbException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RocksDbException(string message, string rocksDbMessage, string? path, Exception? inner = null)
        : base(message, inner)
    {
        RocksDbMessage = rocksDbMessage;
        Path = path;
    }

    /// <summary>The error text RocksDB reported, e.g. "Corruption: CURRENT file does not end with newline".</summary>
    public string RocksDbMessage { get; }

    /// <summary>The store directory involved, when known.</summary>
    public string? Path { get; }
}
