using System.Text.RegularExpressions;
using Otto.Contracts.Otto;
using Otto.Payments.Docs;
using Otto.Payments.Rules;
using Otto.Payments.Tests.Docs;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Crosscutting;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Table;

namespace Otto.Payments.Tests;

/// <summary>topology-docs/ is generated from the code, never edited by hand: these tests fail when a checked-in file
/// differs from what the code generates, is missing, or is no longer generated. Regenerate with ./otto describe.</summary>
public class TopologyDocsTests
{
    [Fact]
    public void The_checked_in_topology_docs_match_the_code()
    {
        var directory = Path.Combine(RepoRoot(), "topology-docs");
        var changes = DocsDirectory.Sync(directory, TopologyDocs.Generate(new PaymentsOptions()), write: false);

        Assert.True(changes.Count == 0, string.Join("\n", changes.Select(c => c.Kind switch
        {
            DocsChangeKind.Created => $"topology-docs/{c.File} is missing",
            DocsChangeKind.Updated => $"topology-docs/{c.File} is out of date with the code",
            _ => $"topology-docs/{c.File} is no longer generated",
        }).Append($"Run {TopologyDocs.Command} and commit the result.")));
    }

    [Fact]
    public void Every_generated_file_says_it_is_generated_and_by_which_command()
    {
        foreach (var (name, content) in TopologyDocs.Generate(new PaymentsOptions()))
            Assert.True(content.Split('\n')[0].Contains($"Generated from the code by {(name.EndsWith(".md") ? $"`{TopologyDocs.Command}`" : TopologyDocs.Command)}"), name);
    }

    [Fact]
    public void Every_link_in_the_generated_markdown_resolves_to_a_file_of_the_repository()
    {
        var directory = Path.Combine(RepoRoot(), "topology-docs");
        var links = TopologyDocs.Generate(new PaymentsOptions())
            .SelectMany(f => Regex.Matches(f.Value, @"\]\(([^)#]+)\)").Select(m => (File: f.Key, Link: m.Groups[1].Value))).ToList();

        Assert.Contains(links, l => l.Link == "../schemas/PaymentAdded.avsc");
        Assert.All(links, l => Assert.True(File.Exists(Path.Combine(directory, l.Link)), $"{l.File} links to {l.Link}, which does not exist"));
    }

    [Fact]
    public void The_topic_catalog_lists_every_changelog_and_repartition_topic_that_Streamiz_creates_for_the_topology()
    {
        var streamiz = StreamizInternalTopics.Of(PaymentsTopology.ForInspection(new PaymentsOptions()), "otto");
        var internalTopics = new InternalTopics(PaymentsTopology.ForInspection(new PaymentsOptions()).Describe(), "otto");
        var catalog = TopologyDocs.Generate(new PaymentsOptions())[TopologyDocs.TopicCatalogFile];

        Assert.Equal(streamiz.Changelogs.Order(), internalTopics.Changelogs.Values.Order());
        Assert.Equal(streamiz.Repartition.Order(), internalTopics.Repartition.Select(internalTopics.RunTimeName).Order());
        Assert.All(streamiz.Changelogs.Concat(streamiz.Repartition).Append("pc.qa.pmt.fct.cpr.PaymentAdded"),
            topic => Assert.Contains($"| `{topic}` |", catalog));
    }

    [Fact]
    public void The_topic_catalog_takes_otto_s_readers_and_writers_from_the_topology_and_its_internal_topics_from_the_application_id()
    {
        var builder = new StreamBuilder();
        builder.Stream("in", new StringSerDes(), new StringSerDes(), "in-source").SelectKey((_, v, _) => v, "by-value").GroupByKey()
            .Count(Materialized<string, long, IKeyValueStore<Bytes, byte[]>>.Create("counts"), "count").ToStream("as-stream")
            .To("out", new StringSerDes(), new Int64SerDes(), "to-out");
        TopicSpec[] specs =
        [
            new("in", "id", "Otto.Contracts.Cpr.PaymentAdded", "CPR", "Input."),
            new("out", "value", "bytes", "Otto", "Counts | totals.", "Reporting"),
        ];

        Assert.Equal("""
            | topic | key | value schema | producer | consumers | partitions | purpose |
            | --- | --- | --- | --- | --- | --- | --- |
            | `in` | id | [PaymentAdded](../schemas/PaymentAdded.avsc) | CPR | Otto sub-topology 0: `in-source` → `by-value` | 6 | Input. |
            | `out` | value | bytes (the record as read) | Otto sub-topology 1: `to-out` | Reporting | 6 | Counts \| totals. |
            | `app-counts-repartition` | the new key | the stream's value | Otto sub-topology 0: `KSTREAM-SINK-0000000003` | Otto sub-topology 1: `KSTREAM-SOURCE-0000000005` → `count` | 6 | Repartition topic: records re-keyed before a stateful step. |
            | `app-counts-changelog` | store `counts`'s key | store `counts`'s value | Otto sub-topology 1: store `counts` | Otto sub-topology 1: restores store `counts` | 6 | Changelog topic (compacted): the store's every write, replayed to rebuild it on another instance. |

            """.Replace("\r\n", "\n"), TopicCatalog.Render(specs, builder.Build(), "app", 6));

        var missing = Assert.Throws<InvalidOperationException>(() => TopicCatalog.Render(specs[..1], builder.Build(), "app", 6));
        Assert.Contains("missing from PaymentTopics.Catalog: out", missing.Message);
    }

    [Fact]
    public void The_rule_catalog_shows_each_rule_s_info_and_the_shared_settings_with_their_values()
    {
        var options = new PaymentsOptions { Env = "test", MaxAttempts = 5 };
        var catalog = RuleCatalog.Render([new SampleRule()], options);

        Assert.StartsWith("""
            | rule | trigger | settings (defaults) | outcome (and what clears it) | flag reasons | fix intent → target |
            | --- | --- | --- | --- | --- | --- |
            | `Sample` | Sweep: a \| b<br>for a while. | `Otto:Payments:Rules:Sample:` Sla (default 00:01:00), Action (default Flag), Enabled (default true) | Flags it. Cleared when it stops. | `AMOUNT_MISMATCH`, `NO_CORE_REPLY` | `REVIEW` → Ops |

            Settings every rule shares:

            | setting | value |
            | --- | --- |
            | `Otto:Payments:Env` | `test` |
            """.Replace("\r\n", "\n"), catalog);
        Assert.Contains("| `Otto:Payments:MaxAttempts` | `5` |", catalog);
    }

    private sealed class SampleRule : IPaymentRule
    {
        public RuleInfo Info { get; } = new("Sample", "Sweep: a | b\nfor a while.", "Sla (default 00:01:00)", "Flags it. Cleared when it stops.",
            [FlagReason.AMOUNT_MISMATCH, FlagReason.NO_CORE_REPLY], FixIntent.REVIEW, "Ops");

        public RuleCheck Check(PaymentState state, DateTimeOffset now) => RuleCheck.Absent;
    }

    [Fact]
    public void Sync_reports_a_missing_a_stale_and_an_extra_file_and_writing_fixes_all_three()
    {
        var directory = Directory.CreateTempSubdirectory("otto-docs-test-").FullName;
        try
        {
            var files = new Dictionary<string, string> { ["a.md"] = "a\n", ["b.md"] = "b\n", ["c.md"] = "c\n" };
            File.WriteAllText(Path.Combine(directory, "a.md"), "a\n");
            File.WriteAllText(Path.Combine(directory, "b.md"), "b edited by hand\n");
            File.WriteAllText(Path.Combine(directory, "old.md"), "no longer generated\n");

            Assert.Equal([new("b.md", DocsChangeKind.Updated), new("c.md", DocsChangeKind.Created), new("old.md", DocsChangeKind.Removed)],
                DocsDirectory.Sync(directory, files, write: false));
            Assert.Equal("b edited by hand\n", File.ReadAllText(Path.Combine(directory, "b.md"))); // checking changes nothing

            Assert.Equal(3, DocsDirectory.Sync(directory, files, write: true).Count);
            Assert.Empty(DocsDirectory.Sync(directory, files, write: false));
            Assert.Equal(["a.md", "b.md", "c.md"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
            Assert.Equal("b\n", File.ReadAllText(Path.Combine(directory, "b.md")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Otto.Streams.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Otto.Streams.sln not found above the test assembly.");
    }
}
