using Otto.Streams.Streamiz.State;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Table;

namespace Otto.Streams.Streamiz.Tests.State;

public class RocksDbMemoryTests
{
    // Two RocksDB stores written past their small memtables, so their data is in table files, then read back: the
    // stores' blocks are in the instance's cache. With Streamiz's per-store caches it would stay empty.
    [Fact]
    public void Every_store_of_an_instance_reads_through_the_one_block_cache()
    {
        var memory = new RocksDbMemory(blockCacheSize: 8L << 20, writeBufferSize: 64L << 10);
        var stateDir = Directory.CreateTempSubdirectory("otto-rocksdb-memory-").FullName;
        var builder = new StreamBuilder();
        builder.Table("in-a", RocksDb.As<string, string>("a"));
        builder.Table("in-b", RocksDb.As<string, string>("b"));
        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = "rocksdb-memory", StateDir = stateDir, RocksDbConfigHandler = memory.Configure,
        };
        var value = new string('v', 1_000);
        try
        {
            using var driver = new TopologyTestDriver(builder.Build(), config);
            foreach (var topic in new[] { "in-a", "in-b" })
            {
                var input = driver.CreateInputTopic<string, string>(topic);
                for (var i = 0; i < 2_000; i++) input.PipeInput($"k{i:D5}", value);
            }
            Assert.Equal(value, driver.GetKeyValueStore<string, string>("a").Get("k00000"));
            Assert.Equal(value, driver.GetKeyValueStore<string, string>("b").Get("k00000"));

            // Index, filter and data blocks of the stores' table files (how much of each store's moves with RocksDB's
            // background compactions): some, and no more than the one cache allows.
            var cached = memory.BlockCacheUsage;
            Assert.True(cached > 0, "the stores read outside the instance's cache");
            Assert.True(cached <= memory.BlockCacheSize, $"{cached} bytes cached, over the {memory.BlockCacheSize} allowed");
        }
        finally
        {
            try { Directory.Delete(stateDir, recursive: true); }
            catch (IOException) { } // RocksDB still closing
        }
    }
}
