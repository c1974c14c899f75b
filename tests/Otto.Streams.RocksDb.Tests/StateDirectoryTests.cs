using Confluent.Kafka;
using Otto.Streams.Errors;
using Otto.Streams.Runtime;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>Task directories and their locks, and the checkpoint file format.</summary>
public sealed class StateDirectoryTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Task_directory_is_root_application_task()
    {
        var directory = new StateDirectory(_root.Path, "app");
        Assert.Equal(Path.Combine(_root.Path, "app", "1_3"), directory.TaskDirectory(new TaskId(1, 3)));
    }

    [Fact]
    public void A_locked_task_directory_cannot_be_locked_again_until_released()
    {
        var first = new StateDirectory(_root.Path, "app"); // e.g. another instance on the same state dir
        var second = new StateDirectory(_root.Path, "app");
        var task = new TaskId(0, 1);

        using (var held = first.TryLock(task))
        {
            Assert.NotNull(held);
            Assert.Null(second.TryLock(task));
            Assert.Null(first.TryLock(task)); // another thread of the same instance
            using var other = second.TryLock(new TaskId(0, 2)); // other tasks are free
            Assert.NotNull(other);
        }
        using var again = second.TryLock(task);
        Assert.NotNull(again);
    }

    [Fact]
    public void A_file_where_the_task_directory_should_be_gives_a_clear_error()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "app"));
        File.WriteAllText(Path.Combine(_root.Path, "app", "0_0"), "not a directory");
        var error = Assert.Throws<StreamsException>(() => new StateDirectory(_root.Path, "app").TryLock(new TaskId(0, 0)));
        Assert.Contains(Path.Combine(_root.Path, "app", "0_0"), error.Message);
    }

    [Fact]
    public void Checkpoint_round_trips_and_is_absent_before_the_first_write()
    {
        Assert.Null(OffsetCheckpoint.Read(_root.Path));
        var offsets = new Dictionary<TopicPartition, long> { [new("app-a-changelog", 0)] = 42, [new("app-b-changelog", 0)] = 0 };
        OffsetCheckpoint.Write(_root.Path, offsets);
        Assert.Equal(offsets, OffsetCheckpoint.Read(_root.Path));
        Assert.False(File.Exists(Path.Combine(_root.Path, OffsetCheckpoint.FileName + ".tmp")));
        OffsetCheckpoint.Delete(_root.Path);
        Assert.Null(OffsetCheckpoint.Read(_root.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1\n1\nt 0 5\n")] // unknown version
    [InlineData("0\n2\nt 0 5\n")] // truncated
    [InlineData("0\n1\nt zero 5\n")]
    [InlineData("0\n1\nt 0 -5\n")]
    [InlineData("\u0000\u0001garbage")]
    public void Corrupt_checkpoint_is_a_FormatException_naming_the_file(string content)
    {
        File.WriteAllText(Path.Combine(_root.Path, OffsetCheckpoint.FileName), content);
        var error = Assert.Throws<FormatException>(() => OffsetCheckpoint.Read(_root.Path));
        Assert.Contains(OffsetCheckpoint.FileName, error.Message);
    }
}
