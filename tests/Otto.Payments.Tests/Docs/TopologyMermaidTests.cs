using Otto.Payments.Docs;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Crosscutting;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Table;

namespace Otto.Payments.Tests.Docs;

public class TopologyMermaidTests
{
    private const string ClassDefs = """
            classDef topic fill:#fff4d6,stroke:#b7791f,color:#222
            classDef internal fill:#eeeeee,stroke:#777777,stroke-dasharray:4 3,color:#222
            classDef source fill:#dff5e3,stroke:#2f855a,color:#222
            classDef processor fill:#ffffff,stroke:#4a5568,color:#222
            classDef sink fill:#fde2e2,stroke:#c53030,color:#222
            classDef store fill:#e0ecff,stroke:#2b6cb0,color:#222
            classDef global fill:#efe3ff,stroke:#6b46c1,color:#222

        """;

    private static Materialized<string, T, IKeyValueStore<Bytes, byte[]>> Store<T>(string name) =>
        Materialized<string, T, IKeyValueStore<Bytes, byte[]>>.Create(name);

    [Fact]
    public void A_repartitioned_count_shows_two_subtopologies_joined_by_the_repartition_topic_and_the_store_with_its_changelog()
    {
        var builder = new StreamBuilder();
        builder.Stream("words", new StringSerDes(), new StringSerDes(), "words-source").SelectKey((_, w, _) => w, "by-word").GroupByKey()
            .Count(Store<long>("counts"), "count").ToStream().To("totals", new StringSerDes(), new Int64SerDes(), "to-totals");

        Assert.Equal(("""
            flowchart TB
                t0[/"words"/]:::topic
                t1[/"app-counts-repartition<br/>repartition"/]:::internal
                t2[/"totals"/]:::topic
                t3[/"app-counts-changelog<br/>changelog"/]:::internal
                subgraph sub0["Sub-topology 0"]
                    n0(["words-source"]):::source
                    n1["by-word"]:::processor
                    n2["KSTREAM-FILTER-0000000004"]:::processor
                    n3(["KSTREAM-SINK-0000000003"]):::sink
                end
                subgraph sub1["Sub-topology 1"]
                    n4(["KSTREAM-SOURCE-0000000005"]):::source
                    n5["count"]:::processor
                    n6["KTABLE-TOSTREAM-0000000006"]:::processor
                    n7(["to-totals"]):::sink
                    s0[("counts")]:::store
                end
                t0 --> n0
                n0 --> n1
                n1 --> n2
                n2 --> n3
                n3 --> t1
                t1 --> n4
                n4 --> n5
                n5 --> n6
                n5 -.- s0
                n6 --> n7
                n7 --> t2
                s0 -.-> t3

            """ + ClassDefs).Replace("\r\n", "\n"), TopologyMermaid.Render(builder.Build().Describe(), "app"));
    }

    [Fact]
    public void A_global_table_gets_its_own_subgraph_and_a_sink_with_a_chosen_topic_points_at_a_placeholder()
    {
        var builder = new StreamBuilder();
        var countries = builder.GlobalTable("countries", new StringSerDes(), new StringSerDes(), Store<string>("countries"));
        builder.Stream("payments", new StringSerDes(), new StringSerDes(), "payments-source")
            .Join(countries, (_, v) => v, (p, c) => p + c, "with-country").To((k, _, _) => k, "by-key");

        Assert.Equal(("""
            flowchart TB
                t0[/"payments"/]:::topic
                t1[/"countries"/]:::topic
                subgraph sub1["Sub-topology 1"]
                    n0(["payments-source"]):::source
                    n1["with-country"]:::processor
                    n2(["by-key"]):::sink
                    t2[/"topic chosen per record"/]:::topic
                end
                subgraph sub0["Global store countries (every instance)"]
                    n3(["KSTREAM-SOURCE-0000000000"]):::source
                    n4["KTABLE-SOURCE-0000000001"]:::processor
                    s0[("countries")]:::global
                end
                t0 --> n0
                n0 --> n1
                n1 --> n2
                n2 --> t2
                t1 --> n3
                n3 --> n4
                n4 -.- s0

            """ + ClassDefs).Replace("\r\n", "\n"), TopologyMermaid.Render(builder.Build().Describe(), "app"));
    }

    [Fact]
    public void Names_with_quotes_brackets_hashes_and_newlines_appear_only_escaped_in_labels()
    {
        var builder = new StreamBuilder();
        builder.Stream("in\"put #1", new StringSerDes(), new StringSerDes(), "read \"it\" <now>")
            .GroupByKey().Count(Store<long>("c&d`s"), "count\nall]");

        var diagram = TopologyMermaid.Render(builder.Build().Describe(), "app");

        Assert.Contains("""    t0[/"in#34;put #35;1"/]:::topic""", diagram);
        Assert.Contains("""        n0(["read #34;it#34; #60;now#62;"]):::source""", diagram);
        Assert.Contains("""        n1["count#10;all]"]:::processor""", diagram);
        Assert.Contains("""        s0[("c#38;d#96;s")]:::store""", diagram);
        Assert.Contains("""    t1[/"app-c#38;d#96;s-changelog<br/>changelog"/]:::internal""", diagram);
    }

    [Theory]
    [InlineData("plain-name_1.x", "plain-name_1.x")]
    [InlineData("a\"b", "a#34;b")]
    [InlineData("#35; stays text", "#35;35; stays text")]
    [InlineData("<b>&</b>", "#60;b#62;#38;#60;/b#62;")]
    [InlineData("`md`", "#96;md#96;")]
    [InlineData("two\r\nlines", "two#13;#10;lines")]
    public void Escape_uses_mermaid_entity_codes(string name, string label) => Assert.Equal(label, TopologyMermaid.Escape(name));
}
