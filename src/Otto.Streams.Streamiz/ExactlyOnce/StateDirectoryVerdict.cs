namespace Otto.Streams.Streamiz.ExactlyOnce;

/// <summary>What <see cref="ExactlyOnceStateGuard.PrepareForStart"/> found in the application's state directory.</summary>
public enum StateDirectoryVerdict
{
    /// <summary>No task state on disk: nothing to keep or wipe.</summary>
    NoState,

    /// <summary>The last run closed cleanly: task state is kept and Streamiz restores from its checkpoints.</summary>
    CleanShutdown,

    /// <summary>Exactly-once, and the last run did not close cleanly: task state was wiped; Streamiz restores it from the changelogs.</summary>
    Wiped,

    /// <summary>At-least-once, and the last run did not close cleanly: state is kept, as at-least-once allows replays.</summary>
    UncleanKept,
}
