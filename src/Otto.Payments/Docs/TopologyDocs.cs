using Otto.Streams;
using Otto.Streams.Avro.Registry;
using Otto.Streams.Description;

namespace Otto.Payments.Docs;

/// <summary>
/// topology-docs/, generated from the code (never edited by hand): the topology's description in Kafka Streams'
/// text format, its Mermaid diagram, the topic catalog and the rule catalog. <c>./otto describe</c> writes them,
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

    /// <summary>The files for <paramref name="options"/> (environment and rule settings) run as <paramref name="applicationId"/>:
    /// file name → content.</summary>
    public static IReadOnlyDictionary<string, string> Generate(PaymentsOptions options, string applicationId = DefaultApplicationId)
    {
        var topology = PaymentsTopology.Build(options, new PaymentsSerDes(new InMemorySchemaRegistry(), autoRegisterSchemas: false));
        return new Dictionary<string, string>
        {
            [DescriptionFile] = $"# Generated from the code by {Command}; do not edit by hand.\n{topology.Describe()}",
            [DiagramFile] = Diagram(topology, options, applicationId),
        };
    }

    private static string Diagram(Topology topology, PaymentsOptions options, string applicationId) => $"""
        {Header}

        # The payments topology

        Environment `{options.Env}`, application id `{applicationId}` (internal topics are named after it). The same topology as
        text: [{DescriptionFile}]({DescriptionFile}).

        ```mermaid
        {TopologyMermaid.Render(topology.Description(applicationId))}```

        {TopologyMermaid.Legend}

        """;

    /// <summary>The first line of every generated markdown file.</summary>
    private const string Header = $"_Generated from the code by `{Command}`; do not edit by hand._";
}
