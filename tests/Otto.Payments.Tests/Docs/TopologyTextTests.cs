using Otto.Payments.Docs;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Crosscutting;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Table;

namespace Otto.Payments.Tests.Docs;

public class TopologyTextTests
{
    [Fact]
    public void Sub_topologies_and_global_stores_are_listed_by_id_in_Kafka_Streams_format()
    {
        var builder = new StreamBuilder();
        builder.GlobalTable("countries", new StringSerDes(), new StringSerDes(),
            Materialized<string, string, IKeyValueStore<Bytes, byte[]>>.Create("countries"), "countries-table");
        builder.Stream("payments", new StringSerDes(), new StringSerDes(), "payments-source").To((k, _, _) => k, "by-key");
        builder.Stream("refunds", new StringSerDes(), new StringSerDes(), "refunds-source").To("out", "to-out");

        Assert.Equal("""
            Topologies:
               Sub-topology: 0 for global store (will not generate tasks)
                Source: countries-table-source (topics: [countries])
                  --> countries-table
                Processor: countries-table (stores: [countries])
                  --> none
                  <-- countries-table-source

               Sub-topology: 1
                Source: payments-source (topics: [payments])
                  --> by-key
                Sink: by-key (topic: chosen per record)
                  <-- payments-source

               Sub-topology: 2
                Source: refunds-source (topics: [refunds])
                  --> to-out
                Sink: to-out (topic: out)
                  <-- refunds-source


            """.Replace("\r\n", "\n"), TopologyText.Render(builder.Build().Describe()));
    }
}
