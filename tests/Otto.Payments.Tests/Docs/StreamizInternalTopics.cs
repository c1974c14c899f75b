using System.Collections;
using System.Reflection;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;

namespace Otto.Payments.Tests.Docs;

/// <summary>The oracle for <see cref="Otto.Payments.Docs.InternalTopics"/>: the changelog and repartition topics Streamiz
/// itself would create for a topology, from its internal topic groups (InternalTopologyBuilder.MakeInternalTopicGroups,
/// internal in 1.8.2, so reached by reflection) once a TopologyTestDriver has given the topology its application id
/// and built its processors.</summary>
internal static class StreamizInternalTopics
{
    public static (ISet<string> Changelogs, ISet<string> Repartition) Of(Topology topology, string applicationId)
    {
        var stateDir = Directory.CreateTempSubdirectory("otto-docs-tests-").FullName;
        try
        {
            new TopologyTestDriver(topology, new StreamConfig<StringSerDes, StringSerDes> { ApplicationId = applicationId, StateDir = stateDir },
                TopologyTestDriver.Mode.SYNC_TASK).Dispose();
        }
        finally
        {
            Directory.Delete(stateDir, recursive: true);
        }
        const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance;
        var builder = typeof(Topology).GetProperty("Builder", Internal)?.GetValue(topology) ?? throw Changed("Topology.Builder");
        var groups = builder.GetType().GetMethod("MakeInternalTopicGroups", Internal)?.Invoke(builder, null) as IDictionary
            ?? throw Changed("InternalTopologyBuilder.MakeInternalTopicGroups");
        (ISet<string> Changelogs, ISet<string> Repartition) topics = (new HashSet<string>(), new HashSet<string>());
        foreach (var group in groups.Values)
        {
            foreach (var name in Keys(group!, "ChangelogTopics")) topics.Changelogs.Add(name);
            foreach (var name in Keys(group!, "RepartitionTopics")) topics.Repartition.Add(name);
        }
        return topics;
    }

    private static IEnumerable<string> Keys(object group, string property) =>
        (group.GetType().GetProperty(property)?.GetValue(group) as IDictionary ?? throw Changed($"TopologyTopicsInfo.{property}")).Keys.Cast<string>();

    private static InvalidOperationException Changed(string member) =>
        new($"Streamiz no longer has {member}; StreamizInternalTopics was written for Streamiz 1.8.2.");
}
