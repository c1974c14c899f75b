using Otto.Streams.Errors;

namespace Otto.Streams.Runtime;

/// <summary>
/// The state directory of one application on this machine: <c>{root}/{applicationId}/{task}</c> per task,
/// each holding its stores' directories, a <c>.checkpoint</c> file and a <c>.lock</c> file. A task directory
/// is used only while its lock is held, so two instances (or two threads of one) never open the same
/// task's stores: the second waits until the first lets go.
/// </summary>
internal sealed class StateDirectory(string root, string applicationId)
{
    /// <summary>The lock file's name in a task directory.</summary>
    public const string LockFileName = ".lock";

    // The HResult of the IOException when the file is locked: EWOULDBLOCK from flock(LOCK_EX | LOCK_NB) on
    // Linux, ERROR_SHARING_VIOLATION on Windows.
    private static readonly int[] Locked = [11, unchecked((int)0x80070020)];

    public string ApplicationDirectory { get; } = Path.Combine(root, applicationId);

    public string TaskDirectory(TaskId id) => Path.Combine(ApplicationDirectory, id.ToString());

    /// <summary>Creates and locks the task's directory; null when another instance or thread holds the lock.
    /// Throws a <see cref="StreamsException"/> naming the path when the directory cannot be used at all.</summary>
    public TaskDirectoryLock? TryLock(TaskId id)
    {
        var directory = TaskDirectory(id);
        var lockPath = Path.Combine(directory, LockFileName);
        try
        {
            Directory.CreateDirectory(directory);
            // FileShare.None is an exclusive flock on Unix: held per open file, so it excludes other
            // processes and other threads of this one alike, and the OS drops it if the process dies.
            return new TaskDirectoryLock(directory, new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (Locked.Contains(e.HResult))
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StreamsException($"Cannot use the state directory {directory} of task {id}: {e.Message}. " +
                "Check that StateDir points at a writable directory that holds only this application's state.", e);
        }
    }
}

/// <summary>A held task-directory lock; dispose to release it.</summary>
internal sealed class TaskDirectoryLock(string directory, FileStream lockFile) : IDisposable
{
    public string Directory { get; } = directory;

    public void Dispose() => lockFile.Dispose();
}
