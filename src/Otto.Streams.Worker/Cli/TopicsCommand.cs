using System.CommandLine;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Configuration;
using Otto.Payments.Docs;
using Otto.Streams.Worker.Configuration;

namespace Otto.Streams.Worker.Cli;

/// <summary>`otto topics`: lists the topics an `otto run` needs and does not create (<see cref="WorkerTopics"/>), one
/// per line, and with --bootstrap creates those missing on that cluster (the compose set-up job; on a managed cluster
/// the platform team's tooling takes the list), with the client settings of Otto__Kafka__Properties__* in the
/// environment. Existing topics are left as they are: a wrong partition count shows
/// in the worker's co-partitioning check at start.</summary>
public static class TopicsCommand
{

    /// <summary>Builds the verb.</summary>
    public static Command Create()
    {
        var env = new Option<string>("--env") { Description = "Environment in topic names", DefaultValueFactory = _ => "qa" };
        var applicationId = new Option<string>("--application-id") { Description = "The worker's Otto:Streams:ApplicationId", DefaultValueFactory = _ => "otto" };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of each payments topic", DefaultValueFactory = _ => TopologyDocs.DevClusterPartitions };
        var replication = new Option<short>("--replication-factor") { Description = "Replication factor (-1: the broker's default.replication.factor)", DefaultValueFactory = _ => -1 };
        var bootstrap = new Option<string?>("--bootstrap") { Description = "Create the missing topics on this cluster (without it: only list them)" };
        var command = new Command("topics", "List the topics a worker needs (name, partitions, settings); with --bootstrap, create the missing ones")
        {
            env, applicationId, partitions, replication, bootstrap,
        };
        command.SetAction(async (parse, ct) =>
        {
            var topics = WorkerTopics.Required(parse.GetValue(env)!, parse.GetValue(applicationId)!, parse.GetValue(partitions));
            if (parse.GetValue(bootstrap) is not { } servers)
            {
                foreach (var topic in topics) Console.WriteLine(Describe(topic));
                return 0;
            }
            return await CreateAsync(servers, topics, parse.GetValue(replication));
        });
        return command;
    }

    private static async Task<int> CreateAsync(string bootstrap, IReadOnlyList<WorkerTopic> topics, short replicationFactor)
    {
        // The cluster's client settings as the worker takes them (Otto__Kafka__Properties__sasl.username ...), mapped onto
        // an admin client by Streamiz as for the worker's own admin client.
        var options = new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(OttoOptions.Section).Get<OttoOptions>() ?? new OttoOptions();
        options.Kafka.BootstrapServers = bootstrap;
        AdminClientConfig config;
        try
        {
            config = OttoRuntime.StreamConfig(options).ToAdminConfig("otto-topics");
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"otto topics: {e.Message}");
            return 2;
        }
        using var admin = new AdminClientBuilder(config).Build();
        var specs = topics.Select(t => new TopicSpecification
        {
            Name = t.Name, NumPartitions = t.Partitions, ReplicationFactor = replicationFactor, Configs = new(t.Config),
        });
        List<CreateTopicReport> reports;
        try
        {
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
            reports = [.. topics.Select(t => new CreateTopicReport { Topic = t.Name, Error = new Error(ErrorCode.NoError) })];
        }
        catch (CreateTopicsException e)
        {
            reports = e.Results;
        }
        catch (KafkaException e)
        {
            // No answer per topic (the cluster unreachable, or a broker that does not serve CreateTopics, as the mock).
            Console.Error.WriteLine($"otto topics: could not create topics on {bootstrap}: {e.Error.Reason}");
            return 2;
        }
        var failed = 0;
        foreach (var report in reports)
        {
            var outcome = report.Error.Code switch
            {
                ErrorCode.NoError => "created",
                ErrorCode.TopicAlreadyExists => "exists",
                _ => $"FAILED: {report.Error.Reason}",
            };
            if (report.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists)) failed++;
            Console.WriteLine($"{Describe(topics.Single(t => t.Name == report.Topic))}: {outcome}");
        }
        Console.WriteLine($"topics: {reports.Count - failed} present, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static string Describe(WorkerTopic topic) =>
        string.Join(' ', [topic.Name, $"partitions={topic.Partitions}", .. topic.Config.Select(c => $"{c.Key}={c.Value}")]);
}
