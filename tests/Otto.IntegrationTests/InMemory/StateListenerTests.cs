using Otto.Streams;
using Otto.Streams.Runtime;
using static Otto.IntegrationTests.InMemory.InMemoryStreams;

namespace Otto.IntegrationTests.InMemory;

/// <summary>The stream's, its threads' and its tasks' state machines as listeners see them.</summary>
public class StateListenerTests
{
    [Fact]
    public async Task Listeners_see_every_transition_from_start_to_a_clean_close()
    {
        var kafka = new InMemoryKafka();
        kafka.CreateTopic("in", 1);
        kafka.CreateTopic("out", 1);
        var supplier = new InMemorySupplier(kafka);
        var stream = new KafkaStream(Counting(() => false), Config("states"), supplier, topicManager: supplier);
        var streamStates = new List<KafkaStreamState>();
        var threadStates = new List<StreamThreadState>();
        var taskStates = new List<TaskState>();
        stream.StateChanged += (_, to) => { lock (streamStates) streamStates.Add(to); };
        stream.ThreadStateChanged += (_, _, to) => { lock (threadStates) threadStates.Add(to); };
        stream.TaskStateChanged += (_, _, to) => { lock (taskStates) taskStates.Add(to); };

        stream.Start();
        await Eventually.True(() => stream.State == KafkaStreamState.Running, Wait, "running");
        Assert.True(stream.Close());

        Assert.Equal([KafkaStreamState.Rebalancing, KafkaStreamState.Running, KafkaStreamState.PendingShutdown, KafkaStreamState.NotRunning], streamStates);
        Assert.Equal([StreamThreadState.Starting, StreamThreadState.Running, StreamThreadState.PendingShutdown, StreamThreadState.Dead],
            threadStates.Where((s, i) => i == 0 || threadStates[i - 1] != s));
        Assert.Equal([TaskState.Restoring, TaskState.Running, TaskState.Suspended, TaskState.Closed], taskStates);
    }
}
