namespace Otto.Streams.Runtime;

/// <summary>Life cycle of a task, as Kafka Streams' Task.State.</summary>
public enum TaskState
{
    /// <summary>Made, stores not open.</summary>
    Created,
    /// <summary>Stores open, replaying changelogs.</summary>
    Restoring,
    /// <summary>Processing records.</summary>
    Running,
    /// <summary>Committed and paused during a rebalance; resumed without restoring if its partitions come back.</summary>
    Suspended,
    /// <summary>Closed; a new task instance is made if the partition comes back.</summary>
    Closed,
}

internal static class TaskStates
{
    public static StateMachine<TaskState> Create(TaskId id) => new($"task {id}", TaskState.Created, new Dictionary<TaskState, TaskState[]>
    {
        [TaskState.Created] = [TaskState.Restoring, TaskState.Closed],
        [TaskState.Restoring] = [TaskState.Running, TaskState.Closed],
        [TaskState.Running] = [TaskState.Suspended, TaskState.Closed],
        [TaskState.Suspended] = [TaskState.Running, TaskState.Closed],
    });
}
