using Otto.Streams.Errors;
using Otto.Streams.Runtime;

namespace Otto.Streams.Engine.Tests;

public class StateMachineTests
{
    [Fact]
    public void Task_states_follow_the_table_and_an_illegal_transition_throws_naming_the_owner()
    {
        var task = TaskStates.Create(new TaskId(1, 3));
        var seen = new List<(TaskState, TaskState)>();
        task.Changed += (from, to) => seen.Add((from, to));

        task.TransitTo(TaskState.Restoring);
        task.TransitTo(TaskState.Running);
        task.TransitTo(TaskState.Suspended);
        task.TransitTo(TaskState.Running);

        var error = Assert.Throws<StreamsException>(() => task.TransitTo(TaskState.Restoring));
        Assert.Equal("task 1_3: illegal state transition Running -> Restoring", error.Message);
        Assert.Equal(TaskState.Running, task.Current);
        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public void A_closed_stream_cannot_be_restarted()
    {
        var stream = KafkaStreamStates.Create();
        stream.TransitTo(KafkaStreamState.PendingShutdown);
        stream.TransitTo(KafkaStreamState.NotRunning);

        Assert.False(stream.TryTransitTo(KafkaStreamState.Rebalancing));
        Assert.Equal(KafkaStreamState.NotRunning, stream.Current);
    }

    [Fact]
    public void A_stream_in_error_can_only_shut_down()
    {
        var stream = KafkaStreamStates.Create();
        stream.TransitTo(KafkaStreamState.Rebalancing);
        stream.TransitTo(KafkaStreamState.Error);

        Assert.False(stream.TryTransitTo(KafkaStreamState.Running));
        Assert.True(stream.TryTransitTo(KafkaStreamState.PendingShutdown));
    }
}
