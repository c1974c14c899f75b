using Streamiz.Kafka.Net;

namespace Otto.Streams.Streamiz.State;

/// <summary>
/// One process per application state directory. Streamiz 1.8 locks nothing there (its StateDirectory is a
/// process-wide object): a second worker on the same host with the same state directory and application id would
/// open the same task folders, and RocksDB's own LOCK file would fail the second thread with an I/O error in the
/// middle of a rebalance. This lock fails the second worker at start instead, with a message saying what to change.
/// The operating system releases it when the process ends, also on SIGKILL.
/// </summary>
public sealed class StateDirectoryLock : IDisposable
{
    /// <summary>The lock file's name in <c>{StateDir}/{ApplicationId}</c>.</summary>
    public const string FileName = ".otto.lock";

    private readonly FileStream _file;

    private StateDirectoryLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of <paramref name="config"/>'s application state directory.</summary>
    /// <exception cref="IOException">Another process holds it.</exception>
    public static StateDirectoryLock Acquire(IStreamConfig config)
    {
        var directory = Path.Combine(config.StateDir, config.ApplicationId);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix, held until the handle closes.
            return new StateDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new IOException($"the state directory {directory} is in use by another worker on this host; give each worker " +
                "its own state directory (--state-dir, Otto:Streams:StateDir)", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
