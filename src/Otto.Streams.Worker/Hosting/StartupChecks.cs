using System.Net;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Otto.Payments.Docs;
using Otto.Streams.SchemaRegistry;
using Otto.Streams.Streamiz.CoPartitioning;
using Otto.Streams.Worker.Cli;
using Otto.Streams.Worker.Configuration;
using Streamiz.Kafka.Net.Stream;

namespace Otto.Streams.Worker.Hosting;

/// <summary>
/// What the worker checks before it joins its consumer group, so that a set-up mistake stops it at once with one line
/// and its own exit code (<see cref="ExitCodes"/>) instead of surfacing later: with no traffic a worker pointed at the
/// wrong registry would otherwise run for hours and fail at the first payment of the day.
/// </summary>
public static class StartupChecks
{
    /// <summary>The cluster answers within Otto:Kafka:StartupTimeout, every topic the topology reads exists, and topics
    /// read together have the same partition count.</summary>
    /// <exception cref="StartupException">Exit code <see cref="ExitCodes.KafkaUnreachable"/> or
    /// <see cref="ExitCodes.TopicsMissing"/>.</exception>
    public static void Kafka(Topology topology, IAdminClient admin, KafkaOptions kafka)
    {
        try
        {
            CoPartitionCheck.Verify(topology, admin, kafka.StartupTimeout);
        }
        catch (CoPartitioningException e)
        {
            throw new StartupException($"{e.Message.Replace("\n", "; ")} (create the topics, each with the partition count of the topics it is read with)",
                ExitCodes.TopicsMissing, e);
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed
                                           or ErrorCode.ClusterAuthorizationFailed or ErrorCode.TopicAuthorizationFailed)
        {
            throw new StartupException($"Kafka at {kafka.BootstrapServers} refused Otto's credentials: {e.Error.Reason}; check the " +
                "security settings in Otto:Kafka:Properties (security.protocol, sasl.*, ssl.*)", ExitCodes.KafkaUnreachable, e);
        }
        catch (KafkaException e)
        {
            throw new StartupException($"Kafka unreachable: no broker of {kafka.BootstrapServers} answered within " +
                $"{kafka.StartupTimeout.TotalSeconds:0.#} s ({e.Error.Reason}); check Otto:Kafka:BootstrapServers and Otto:Kafka:Properties " +
                "(Otto:Kafka:StartupTimeout sets the wait)", ExitCodes.KafkaUnreachable, e);
        }
    }

    /// <summary>The registry answers and accepts Otto's credentials; with auto-registration off, it has a subject for every
    /// topic Otto writes with an Avro value (outputs, repartition and changelog topics). Whether the schema under a subject
    /// is the one this build writes is still checked per topic, at its first record.</summary>
    /// <exception cref="StartupException">Exit code <see cref="ExitCodes.RegistryUnreachable"/> or
    /// <see cref="ExitCodes.SubjectsMissing"/>.</exception>
    public static async Task RegistryAsync(Topology topology, ISchemaRegistryClient registry, OttoOptions options)
    {
        var url = options.SchemaRegistry.Url;
        List<string> subjects;
        try
        {
            subjects = await registry.GetAllSubjectsAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (RegistryFailureException.Causes(e).OfType<SchemaRegistryException>().FirstOrDefault() is { } refused)
        {
            throw new StartupException(refused.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? $"schema registry at {url} refused Otto's credentials ({(int)refused.Status}): check Otto:SchemaRegistry:BasicAuthUserInfo / BearerToken"
                : $"schema registry at {url} failed ({(int)refused.Status}, error code {refused.ErrorCode}): {refused.Message}",
                ExitCodes.RegistryUnreachable, e);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            throw new StartupException($"schema registry unreachable at {url}: {e.GetBaseException().Message}; check Otto:SchemaRegistry:Url",
                ExitCodes.RegistryUnreachable, e);
        }
        if (options.SchemaRegistry.AutoRegisterSchemas) return;
        var missing = WrittenSubjects(topology, options.Streams.ApplicationId).Except(subjects, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new StartupException($"schema registry at {url} has no subject {string.Join(", ", missing)} and " +
                "Otto:SchemaRegistry:AutoRegisterSchemas is off: register Otto's schemas with `otto schemas register --registry <url>` " +
                $"(--env {options.Payments.Env} --application-id {options.Streams.ApplicationId})", ExitCodes.SubjectsMissing);
    }

    /// <summary>The value subjects (TopicNameStrategy) of every topic <paramref name="topology"/> writes when run as
    /// <paramref name="applicationId"/>: its sinks, repartition topics included, and its stores' changelogs. Keys are
    /// strings, never registered.</summary>
    public static IReadOnlyList<string> WrittenSubjects(Topology topology, string applicationId)
    {
        var description = topology.Describe();
        var internalTopics = new InternalTopics(description, applicationId);
        return description.SubTopologies.SelectMany(s => s.Nodes).OfType<ISinkNodeDescription>()
            .Select(s => s.Topic).OfType<string>().Select(internalTopics.RunTimeName)
            .Concat(internalTopics.Changelogs.Values)
            .Select(topic => $"{topic}-value").Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
