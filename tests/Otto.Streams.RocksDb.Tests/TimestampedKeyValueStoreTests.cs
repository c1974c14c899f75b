using Otto.Streams.SerDes;
using Otto.Streams.State;
using Otto.Streams.State.RocksDb;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>The timestamped store (value + timestamp of the record that wrote it) over both bytes stores.</summary>
public sealed class TimestampedKeyValueStoreTests : IDisposable
{
    private static readonly StringSerDes Strings = new();
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<string> Suppliers => ["rocksdb", "in-memory"];

    private ITimestampedKeyValueStore<string, string> Open(string kind, TestStoreContext context)
    {
        var supplier = kind == "rocksdb" ? Stores.PersistentKeyValueStore("ts") : Stores.InMemoryKeyValueStore("ts");
        var store = (ITimestampedKeyValueStore<string, string>)Stores.TimestampedKeyValueStoreBuilder(supplier, Strings, Strings).Build();
        store.Init(context);
        return store;
    }

    [Theory]
    [MemberData(nameof(Suppliers))]
    public void Values_keep_their_timestamps_and_are_logged_as_eight_timestamp_bytes_then_the_value(string kind)
    {
        var context = new TestStoreContext(_directory.Path);
        var store = Open(kind, context);
        store.Put("k", new ValueAndTimestamp<string>("v", 1_700_000_000_123));
        Assert.Equal(new ValueAndTimestamp<string>("v", 1_700_000_000_123), store.Get("k"));
        using (var all = store.All())
            Assert.Equal([new KeyValuePair<string, ValueAndTimestamp<string>>("k", new("v", 1_700_000_000_123))], all.ToList());

        store.Flush(); // the record cache writes the change down
        var logged = Assert.Single(context.Logged).Value!;
        Assert.Equal(new byte[] { 0, 0, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x7B, (byte)'v' }, logged);
        store.Close();
    }

    [Fact]
    public void Bytes_too_short_for_a_timestamp_give_a_clear_error()
    {
        var serdes = new ValueAndTimestampSerDes<string>(Strings);
        var error = Assert.Throws<FormatException>(() => serdes.Deserialize([1, 2, 3], default));
        Assert.Contains("8 bytes", error.Message);
    }
}
