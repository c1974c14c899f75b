using static Otto.Streams.RocksDb.Tests.Entries;

namespace Otto.Streams.RocksDb.Tests;

/// <summary>RocksDB-only reads: reverse iteration, prefix scans, atomic batches.</summary>
public sealed class RocksDbScanTests : IDisposable
{
    private readonly RocksDbStoreFixture _fixture = new();
    private readonly RocksDbKeyValueStore _store;

    public RocksDbScanTests()
    {
        _store = _fixture.Open();
        foreach (var key in new byte[][] { [0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0x00], [0x02], [0x7F], [0x80], [0xFF], [0xFF, 0xFF] })
            _store.Put(key, V(Convert.ToHexString(key)));
    }

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void ReverseAll_is_largest_key_first()
    {
        Assert.Equal(["FFFF", "FF", "80", "7F", "02", "01FF00", "01FF", "0100", "01"], Keys(_store.ReverseAll()));
    }

    [Fact]
    public void ReverseRange_is_inclusive_and_largest_key_first()
    {
        Assert.Equal(["80", "7F", "02"], Keys(_store.ReverseRange(K(0x02), K(0x80))));
        Assert.Equal(["01FF", "0100", "01"], Keys(_store.ReverseRange(K(0x01), K(0x01, 0xFF))));
        Assert.Empty(Keys(_store.ReverseRange(K(0x80), K(0x02))));
    }

    [Fact]
    public void PrefixScan_returns_keys_starting_with_the_prefix()
    {
        Assert.Equal(["01", "0100", "01FF", "01FF00"], Keys(_store.PrefixScan(K(0x01))));
        Assert.Equal(["01FF", "01FF00"], Keys(_store.PrefixScan(K(0x01, 0xFF))));
        Assert.Equal(["FF", "FFFF"], Keys(_store.PrefixScan(K(0xFF))));
        Assert.Empty(Keys(_store.PrefixScan(K(0x03))));
        Assert.Equal(9, Keys(_store.PrefixScan(K())).Count);
    }

    [Fact]
    public void PutAll_is_one_batch_so_a_failing_source_writes_nothing()
    {
        static IEnumerable<KeyValuePair<Otto.Streams.State.Bytes, byte[]?>> Failing()
        {
            yield return new(K(0x10), V("x"));
            throw new InvalidOperationException("source failed");
        }

        Assert.Throws<InvalidOperationException>(() => _store.PutAll(Failing()));
        Assert.Null(_store.Get(K(0x10)));
    }

    [Fact]
    public void Open_iterators_do_not_block_writes_or_other_iterators()
    {
        using var first = _store.PrefixScan(K(0x01));
        using var second = _store.ReverseAll();
        _store.Put(K(0x01, 0x01), V("late"));
        Assert.Equal(["01", "0100", "01FF", "01FF00"], Keys(first));
        Assert.Equal(9, Keys(second).Count);
    }
}
