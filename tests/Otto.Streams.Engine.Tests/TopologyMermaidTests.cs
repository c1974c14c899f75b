using Otto.Streams.Description;
using Otto.Streams.Stream;

namespace Otto.Streams.Engine.Tests;

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

    [Fact]
    public void A_repartitioned_count_shows_two_subtopologies_joined_by_the_repartition_topic_and_the_store_with_its_changelog()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("words", named: "words-source").SelectKey((_, w) => w, "by-word").GroupByKey()
            .Count(Materialized<string, long>.As("counts"), "count").ToStream().To("totals", valueSerDes: Driver.Longs, named: "to-totals");

        Assert.Equal(("""
            flowchart TB
                t0[/"words"/]:::topic
                t1[/"app-counts-repartition<br/>repartition"/]:::internal
                t2[/"totals"/]:::topic
                t3[/"app-counts-changelog<br/>changelog"/]:::internal
                subgraph sub0["Sub-topology 0"]
                    n0(["words-source"]):::source
                    n1["by-word"]:::processor
                    n2["KSTREAM-FILTER-0000000001"]:::processor
                    n3(["KSTREAM-SINK-0000000000"]):::sink
                end
                subgraph sub1["Sub-topology 1"]
                    n4(["KSTREAM-SOURCE-0000000002"]):::source
                    n5["count"]:::processor
                    n6["KTABLE-TOSTREAM-0000000003"]:::processor
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

            """ + ClassDefs).Replace("\r\n", "\n"), TopologyMermaid.Render(builder.Build().Description("app")));
    }

    [Fact]
    public void A_global_table_gets_its_own_subgraph_linked_to_the_joins_that_look_it_up_and_a_sink_with_a_chosen_topic_points_at_a_placeholder()
    {
        var builder = new StreamBuilder();
        var countries = builder.GlobalTable("countries", Materialized<string, string>.As("countries"));
        builder.Stream<string, string>("payments", named: "payments-source")
            .Join(countries, (_, v) => v, (p, c) => p + c, "with-country").To((k, _, _) => k, named: "by-key");

        Assert.Equal(("""
            flowchart TB
                t0[/"payments"/]:::topic
                t1[/"countries"/]:::topic
                subgraph sub0["Sub-topology 0"]
                    n0(["payments-source"]):::source
                    n1["with-country"]:::processor
                    n2(["by-key"]):::sink
                    t2[/"topic chosen per record"/]:::topic
                end
                subgraph sub1["Global store countries (every instance)"]
                    n3(["KSTREAM-SOURCE-0000000000"]):::source
                    n4["KTABLE-SOURCE-0000000001"]:::processor
                    s0[("countries")]:::global
                end
                t0 --> n0
                n0 --> n1
                n1 --> n2
                n1 -.- s0
                n2 --> t2
                t1 --> n3
                n3 --> n4
                n4 -.- s0

            """ + ClassDefs).Replace("\r\n", "\n"), TopologyMermaid.Render(builder.Build().Description()));
    }

    [Fact]
    public void Names_with_quotes_brackets_hashes_and_newlines_appear_only_escaped_in_labels()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in\"put #1", named: "read \"it\" <now>")
            .GroupByKey().Count(Materialized<string, long>.As("c&d`s").WithLoggingDisabled(), "count\nall]");

        var diagram = TopologyMermaid.Render(builder.Build().Description("app"));

        Assert.Contains("""    t0[/"in#34;put #35;1"/]:::topic""", diagram);
        Assert.Contains("""        n0(["read #34;it#34; #60;now#62;"]):::source""", diagram);
        Assert.Contains("""        n1["count#10;all]"]:::processor""", diagram);
        Assert.Contains("""        s0[("c#38;d#96;s")]:::store""", diagram);
        Assert.DoesNotContain("changelog", diagram); // logging disabled: no changelog topic
    }

    [Theory]
    [InlineData("plain-name_1.x", "plain-name_1.x")]
    [InlineData("a\"b", "a#34;b")]
    [InlineData("#35; stays text", "#35;35; stays text")]
    [InlineData("<b>&</b>", "#60;b#62;#38;#60;/b#62;")]
    [InlineData("`md`", "#96;md#96;")]
    [InlineData("two\r\nlines", "two#13;#10;lines")]
    public void Escape_uses_mermaid_entity_codes(string name, string label) => Assert.Equal(label, TopologyMermaid.Escape(name));

    [Fact]
    public void The_description_names_changelogs_and_repartition_topics_as_at_run_time_only_with_an_application_id()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").SelectKey((_, v) => v).GroupByKey().Count(Materialized<string, long>.As("counts"));
        var topology = builder.Build();

        Assert.Equal(["counts-repartition"], topology.Description().RepartitionTopics);
        Assert.Equal(["app-counts-repartition"], topology.Description("app").RepartitionTopics);
        Assert.Equal([new StoreDescription("counts", "counts-changelog")], topology.Description().Stores);
        Assert.Equal([new StoreDescription("counts", "app-counts-changelog")], topology.Description("app").Stores);
        Assert.Equal(topology.Describe(), topology.Description().ToString());
    }
}
