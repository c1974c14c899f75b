using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streamiz.Kafka.Net;

namespace Otto.Streams.Streamiz.ExactlyOnce;

/// <summary>
/// Wipes an exactly-once application's task state after a run that did not close cleanly, so Streamiz rebuilds it
/// from the changelogs instead of running on writes whose transaction never committed.
/// </summary>
/// <remarks>
/// <para>
/// Streamiz 1.8 loads a task's <c>.checkpoint</c> and leaves it on disk while the task runs, also under EXACTLY_ONCE,
/// and never wipes state it finds without one (ProcessorStateManager.InitializeOffsetsFromCheckpoint, StreamTask.PostCommit,
/// TaskManager). Its RocksDB stores write without a WAL and are flushed before the transaction commits, so after a crash
/// the store can hold writes of an aborted transaction while the old checkpoint says it is clean; keys only those writes
/// touched survive even a full restore. Kafka Streams deletes the checkpoint under EOS while the task runs and wipes
/// the task when none is found. This guard does the same per application, with a marker written only after a clean close.
/// </para>
/// <para>
/// Use: <see cref="PrepareForStart"/> before <c>new KafkaStream(...)</c>, <see cref="Watch"/> on the new stream, and
/// <see cref="MarkCleanShutdown"/> after its <c>Dispose()</c> returned. One instance per run; not for concurrent use.
/// It does not cover tasks Streamiz closes as lost inside a running process (TaskManager.HandleLostAll aborts the
/// transaction, then checkpoints the stores as they are).
/// </para>
/// </remarks>
public sealed partial class ExactlyOnceStateGuard
{
    /// <summary>The marker's file name in <see cref="ApplicationStateDirectory"/>; present only between a clean close and the next start.</summary>
    public const string MarkerFileName = ".otto-clean-shutdown";

    private readonly bool _exactlyOnce;
    private readonly ILogger _logger;
    private volatile bool _streamFailed;

    /// <summary>Guards the state of the application <paramref name="config"/> describes (its StateDir, ApplicationId and Guarantee).</summary>
    public ExactlyOnceStateGuard(IStreamConfig config, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(config.StateDir);
        ArgumentException.ThrowIfNullOrEmpty(config.ApplicationId);
        ApplicationStateDirectory = Path.Combine(config.StateDir, config.ApplicationId);
        _exactlyOnce = config.Guarantee == ProcessingGuarantee.EXACTLY_ONCE;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Where Streamiz keeps this application's tasks: <c>{StateDir}/{ApplicationId}</c>, one <c>{subtopology}-{partition}</c> folder per task.</summary>
    public string ApplicationStateDirectory { get; }

    private string MarkerPath => Path.Combine(ApplicationStateDirectory, MarkerFileName);

    /// <summary>
    /// Call before creating the <c>KafkaStream</c>. Under exactly-once, wipes every task folder unless the last run
    /// left the clean-close marker; in every case removes the marker, so a crash from now on counts as unclean.
    /// </summary>
    /// <exception cref="IOException">A task folder could not be deleted (e.g. another process still uses it).</exception>
    public StateDirectoryVerdict PrepareForStart()
    {
        _streamFailed = false;
        if (!Directory.Exists(ApplicationStateDirectory))
        {
            return StateDirectoryVerdict.NoState;
        }

        var taskDirectories = Directory.GetDirectories(ApplicationStateDirectory)
            .Where(d => TaskDirectoryName().IsMatch(Path.GetFileName(d)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var clean = File.Exists(MarkerPath);
        File.Delete(MarkerPath);

        if (taskDirectories.Count == 0)
        {
            return StateDirectoryVerdict.NoState;
        }

        if (clean)
        {
            return StateDirectoryVerdict.CleanShutdown;
        }

        if (!_exactlyOnce)
        {
            _logger.LogInformation("The last run of {Directory} did not close cleanly; at-least-once keeps its state", ApplicationStateDirectory);
            return StateDirectoryVerdict.UncleanKept;
        }

        foreach (var directory in taskDirectories)
        {
            Directory.Delete(directory, recursive: true);
        }

        _logger.LogWarning(
            "The last run of {Directory} did not close cleanly: wiped the state of tasks {Tasks} (exactly-once); Streamiz restores them from their changelogs",
            ApplicationStateDirectory, string.Join(", ", taskDirectories.Select(Path.GetFileName)));
        return StateDirectoryVerdict.Wiped;
    }

    /// <summary>Remembers if <paramref name="stream"/> reaches ERROR (all its threads died): such a run never counts as clean.</summary>
    public void Watch(KafkaStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.StateChanged += (_, newState) =>
        {
            if (newState == KafkaStream.State.ERROR)
            {
                _streamFailed = true;
            }
        };
    }

    /// <summary>
    /// Call after the stream's <c>Dispose()</c> returned: writes the clean-close marker, unless the watched stream
    /// reached ERROR (its threads died mid-transaction; the next start then wipes). Returns whether it wrote the marker.
    /// </summary>
    public bool MarkCleanShutdown()
    {
        if (_streamFailed)
        {
            _logger.LogWarning("The stream of {Directory} ended in ERROR: not marking its state clean", ApplicationStateDirectory);
            return false;
        }

        Directory.CreateDirectory(ApplicationStateDirectory);
        // Write then rename, so a crash while writing never leaves a marker.
        var temporary = MarkerPath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        using (var writer = new StreamWriter(file))
        {
            writer.Write($"closed cleanly at {DateTimeOffset.UtcNow:O}\n");
            writer.Flush();
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, MarkerPath, overwrite: true);
        return true;
    }

    // Streamiz names a task's folder after its TaskId: "{sub-topology id}-{partition}" (global stores use "global").
    [GeneratedRegex(@"^\d+-\d+$")]
    private static partial Regex TaskDirectoryName();
}
