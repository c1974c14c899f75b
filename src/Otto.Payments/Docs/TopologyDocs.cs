using Otto.Payments.Rules;
using Streamiz.Kafka.Net.Stream;

namespace Otto.Payments.Docs;

/// <summary>
/// topology-docs/, generated from the code (never edited by hand): Streamiz's description of the topology
/// (<see cref="Topology.Describe"/>) in Kafka Streams' text format and as a Mermaid diagram, the topic catalog and the
/// rule catalog. <c>./otto describe</c> writes them,
/// <c>./otto describe --check</c> and TopologyDocsTests fail when the checked-in files differ.
/// </summary>
public static class TopologyDocs
{
    /// <summary>The command that regenerates the files.</summary>
    public const string Command = "./otto describe";

    /// <summary>The application id the docs name internal topics with (the worker's default, Otto:Streams:ApplicationId).</summary>
    public const string DefaultApplicationId = "otto";

    /// <summary>The Kafka Streams text description.</summary>
    public const string DescriptionFile = "payments-topology.txt";

    /// <summary>The Mermaid diagram.</summary>
    public const string DiagramFile = "payments-topology.md";

    /// <summary>The topic catalog.</summary>
    public const string TopicCatalogFile = "topic-catalog.md";

    /// <summary>The rule catalog.</summary>
    public const string RuleCatalogFile = "rule-catalog.md";

    /// <summary>The index GitHub shows for the directory.</summary>
    public const string IndexFile = "README.md";

    /// <summary>The partition count of every payments topic on the embedded dev cluster (the default of
    /// <c>./otto dev-cluster --partitions</c>, which uses this constant), as the topic catalog shows it.</summary>
    public const int DevClusterPartitions = 4;

    /// <summary>The files for <paramref name="options"/> (environment and rule settings) run as <paramref name="applicationId"/>:
    /// file name → content.</summary>
    public static IReadOnlyDictionary<string, string> Generate(PaymentsOptions options, string applicationId = DefaultApplicationId)
    {
        var topology = PaymentsTopology.ForInspection(options);
        return new Dictionary<string, string>
        {
            [IndexFile] = Index(options, applicationId),
            [DescriptionFile] = $"# Generated from the code by {Command}; do not edit by hand.\n{TopologyText.Render(topology.Describe())}",
            [DiagramFile] = Diagram(topology, options, applicationId),
            [TopicCatalogFile] = Topics(topology, options, applicationId),
            [RuleCatalogFile] = Rules(options),
        };
    }

    private static string Index(PaymentsOptions options, string applicationId) => $"""
        {Header}

        # Topology docs

        The payments topology as the code builds it, for environment `{options.Env}` and application id `{applicationId}`:

        - [{DiagramFile}]({DiagramFile}): a Mermaid diagram of the sub-topologies, nodes, topics and stores.
        - [{DescriptionFile}]({DescriptionFile}): the same in Kafka Streams' text format.
        - [{TopicCatalogFile}]({TopicCatalogFile}): every topic with its key, value schema, producer, consumers and partitions.
        - [{RuleCatalogFile}]({RuleCatalogFile}): every integrity rule with its trigger, settings, outcome and fix.

        After changing the topology, its topics or its rules, run `{Command}` and commit the result;
        `{Command} --check` and the test TopologyDocsTests fail while these files differ from the code.

        """;

    private static string Diagram(Topology topology, PaymentsOptions options, string applicationId) => $"""
        {Header}

        # The payments topology

        Environment `{options.Env}`, application id `{applicationId}` (internal topics are named after it). The same topology as
        text: [{DescriptionFile}]({DescriptionFile}).

        ```mermaid
        {TopologyMermaid.Render(topology.Describe(), applicationId)}```

        {TopologyMermaid.Legend}

        """;

    private static string Topics(Topology topology, PaymentsOptions options, string applicationId) => $"""
        {Header}

        # Topic catalog

        Every topic of the payments topology for environment `{options.Env}` and application id `{applicationId}`: the topics
        of `PaymentTopics.Catalog`, then Otto's internal repartition and changelog topics. Otto's own producers and
        consumers are the topology's sink and source nodes (sub-topologies as in [{DiagramFile}]({DiagramFile})). Keys are
        strings; values are Avro in the Confluent wire format, registered under `<topic>-value`.

        {TopicCatalog.Render(Catalog(options), topology, applicationId, DevClusterPartitions)}

        Partitions: what the embedded dev cluster creates (`./otto dev-cluster --partitions`, default {DevClusterPartitions}).
        Changelog and repartition topics get the partition count of their sub-topology's source topics unless the
        topology asks for another. On a real cluster the platform team creates the topics (the worker creates its
        changelogs); at start the worker checks that topics read together have the same partition count.

        """;

    // The catalog, with the systems the rules send fixes to as the fix command's consumers.
    private static IEnumerable<TopicSpec> Catalog(PaymentsOptions options)
    {
        var topics = new PaymentTopics(options.Env);
        var targets = string.Join(", ", PaymentRules.All(options).Select(r => r.Info.FixTarget).Distinct());
        return topics.Catalog.Select(t => t.Name == topics.FixPaymentRq && t.Consumers is null
            ? t with { Consumers = $"the rules' fix targets ({targets}; see [{RuleCatalogFile}]({RuleCatalogFile}))" }
            : t);
    }

    private static string Rules(PaymentsOptions options) => $"""
        {Header}

        # Rule catalog

        Every integrity rule of the payments topology, in the order they run, with the default settings. A rule's
        condition opens an episode; Otto raises one flag per episode (`flagId` = payment, rule, episode) or, with
        `Action` = `Fix`, sends `FixPaymentRq` with the fix intent to the target system, and publishes
        `PaymentFlagCleared` when the condition resolves. Sweep rules run on the wall-clock punctuation over all
        open payments (`Otto:Payments:SweepInterval`). Topics: [{TopicCatalogFile}]({TopicCatalogFile}).

        {RuleCatalog.Render(PaymentRules.All(options), options)}
        """;

    /// <summary>The first line of every generated markdown file.</summary>
    private const string Header = $"_Generated from the code by `{Command}`; do not edit by hand._";
}
