using System.Text.RegularExpressions;
using Otto.Payments;
using Otto.Payments.Docs;
using Otto.Streams.Streamiz.Instances;
using Otto.Streams.Worker.Configuration;

namespace Otto.Deployment.Tests;

/// <summary>docker/compose.yaml, checked without a Docker engine: it parses, what it names exists, what it sets is
/// Otto's, its ports do not clash, and its set-up job creates the topics the workers need.</summary>
public sealed partial class ComposeFileTests
{
    private const string ComposeFile = "docker/compose.yaml";
    private static readonly object Compose = RepoFiles.Yaml(ComposeFile);
    private static readonly IDictionary<object, object> Services = Yaml.Map(Yaml.Get(Compose, "services"), "services");

    private static IEnumerable<(string Name, IDictionary<object, object> Service)> All() =>
        Services.Select(kv => ((string)kv.Key, Yaml.Map(kv.Value, (string)kv.Key)));

    // The services that run the image docker/Dockerfile builds.
    private static IEnumerable<(string Name, IDictionary<object, object> Service)> Otto() => All().Where(s => s.Service.ContainsKey("build"));

    // The workers: Otto's image running its default command (`otto run`).
    private static IEnumerable<(string Name, IDictionary<object, object> Service)> Workers() =>
        Otto().Where(s => !s.Service.ContainsKey("command") && !s.Service.ContainsKey("entrypoint"));

    [Fact]
    public void Every_service_it_depends_on_and_every_volume_it_mounts_is_declared()
    {
        var volumes = Yaml.Map(Yaml.Get(Compose, "volumes") ?? new Dictionary<object, object>(), "volumes").Keys.Cast<string>().ToHashSet();
        foreach (var (name, service) in All())
        {
            var dependsOn = Yaml.Get(service, "depends_on") switch
            {
                IDictionary<object, object> map => map.Keys.Cast<string>(),
                IList<object> list => list.Cast<string>(),
                null => [],
                var other => throw new InvalidDataException($"{name}.depends_on: {other}"),
            };
            foreach (var dependency in dependsOn) Assert.True(Services.ContainsKey(dependency), $"{name} depends on {dependency}, which is not a service");
            foreach (var mount in (Yaml.Get(service, "volumes") as IList<object> ?? []).Cast<string>())
            {
                var source = mount.Split(':')[0];
                if (!source.StartsWith('.') && !source.StartsWith('/')) Assert.True(volumes.Contains(source), $"{name} mounts {source}, which is not under volumes:");
            }
        }
        Assert.Equal(3, Workers().Count());
    }

    [Fact]
    public void Images_built_here_come_from_docker_Dockerfile_and_the_others_are_pinned()
    {
        var dockerfile = Path.Combine(RepoFiles.Root, "docker", "Dockerfile");
        var built = new HashSet<string>();
        foreach (var (name, service) in Otto())
        {
            var context = Yaml.Scalar(service, "build", "context") ?? throw new InvalidDataException($"{name}: build without context");
            var file = Path.GetFullPath(Path.Combine(RepoFiles.Root, "docker", context, Yaml.Scalar(service, "build", "dockerfile") ?? "Dockerfile"));
            Assert.Equal(dockerfile, file);
            built.Add(Yaml.Scalar(service, "image") ?? throw new InvalidDataException($"{name}: no image name for what it builds"));
        }
        Assert.Single(built);
        foreach (var (name, service) in All().Where(s => !s.Service.ContainsKey("build")))
        {
            var image = Yaml.Scalar(service, "image") ?? throw new InvalidDataException($"{name}: no image");
            Assert.False(built.Contains(image), $"{name} runs {image} without building it");
            Assert.Matches(@"^[\w./-]+:\d+(\.\d+)+$", image);
        }
    }

    [Fact]
    public void Every_environment_variable_of_Otto_image_is_a_documented_Otto_setting()
    {
        var problems = Otto().SelectMany(s => Environment(s.Service).Select(kv => OttoSettings.Problem(kv.Key, kv.Value)))
            .Concat(DockerfileEnvironment().Select(kv => OttoSettings.Problem(kv.Key, kv.Value)))
            .OfType<string>().ToList();
        Assert.Empty(problems);
    }

    [Fact]
    public void Host_ports_do_not_clash_and_Otto_ports_are_those_the_worker_listens_on()
    {
        var taken = new Dictionary<string, string>();
        foreach (var (name, service) in All())
        {
            foreach (var mapping in (Yaml.Get(service, "ports") as IList<object> ?? []).Cast<string>())
            {
                var parts = mapping.Split(':');
                Assert.True(parts.Length >= 2, $"{name}: '{mapping}' publishes a container port on a random host port");
                var host = string.Join(':', parts[..^1]);
                Assert.False(taken.TryGetValue(host, out var other), $"host port {host}: {name} and {other}");
                taken[host] = name;
                if (service.ContainsKey("build"))
                {
                    var env = EffectiveEnvironment(service);
                    var listening = new[] { OttoSettings.Value(env, "Otto__Metrics__Port", new MetricsOptions().Port), OttoSettings.Value(env, "Otto__Query__Port", "") };
                    Assert.Contains(parts[^1], listening);
                }
            }
        }
    }

    [Fact]
    public void Workers_advertise_their_own_read_side_and_get_longer_than_the_shutdown_timeout_to_stop()
    {
        foreach (var (name, service) in Workers())
        {
            var env = EffectiveEnvironment(service);
            Assert.Equal($"http://{name}:{env["Otto__Query__Port"]}", env["Otto__Query__AdvertisedUrl"]);
            var shutdown = TimeSpan.Parse(OttoSettings.Value(env, "Otto__Streams__ShutdownTimeout", new StreamsOptions().ShutdownTimeout));
            var grace = Yaml.Scalar(service, "stop_grace_period") ?? "10s"; // Compose's default
            Assert.True(Duration(grace) > shutdown, $"{name}: stop_grace_period {grace} is not longer than Otto:Streams:ShutdownTimeout {shutdown}");
            Assert.True(service.ContainsKey("volumes"), $"{name}: state not on a volume");
            Assert.Contains(((IList<object>)service["volumes"]).Cast<string>(), v => v.Split(':')[1] == env["Otto__Streams__StateDir"]);
        }
    }

    [Fact]
    public void The_setup_job_creates_exactly_the_topics_the_workers_need_and_registers_their_schemas()
    {
        var setup = Yaml.Map(Services["setup"], "setup");
        var script = string.Join('\n', (Yaml.Get(setup, "command") as IList<object> ?? [Yaml.Scalar(setup, "command")!]).Cast<string>());
        var topics = Command(script, "otto topics");
        var register = Command(script, "otto schemas register");
        foreach (var (name, service) in Workers())
        {
            var env = EffectiveEnvironment(service);
            Assert.Equal(env["Otto__Kafka__BootstrapServers"], topics["--bootstrap"]);
            Assert.Equal(env["Otto__Payments__Env"], topics["--env"]);
            Assert.Equal(env["Otto__Streams__ApplicationId"], topics["--application-id"]);
            Assert.Equal(env["Otto__SchemaRegistry__Url"], register["--registry"]);
            Assert.Equal(env["Otto__Payments__Env"], register["--env"]);
            Assert.Equal(env["Otto__Streams__ApplicationId"], register["--application-id"]);
            Assert.Equal("service_completed_successfully", Yaml.Scalar(service, "depends_on", "setup", "condition"));
        }
        var simulate = Arguments(Yaml.List(Yaml.Get(Services["simulator"], "command"), "simulator.command").Cast<string>().ToList());
        Assert.Equal(topics["--env"], simulate["--env"]);
        Assert.Equal(topics["--bootstrap"], simulate["--bootstrap"]);
        Assert.Equal(register["--registry"], simulate["--schema-registry"]);

        // What `otto topics` creates, against what the worker reads and writes: the topology's topics that are not its
        // own repartition hop (Streamiz creates that and the changelogs), the dead-letter topic and the instance directory.
        var (environment, applicationId) = (topics["--env"], topics["--application-id"]);
        var created = WorkerTopics.Required(environment, applicationId, int.Parse(topics["--partitions"]));
        var description = PaymentsTopology.ForInspection(new PaymentsOptions { Env = environment }).Describe();
        var internalTopics = new InternalTopics(description, applicationId);
        var nodes = description.SubTopologies.SelectMany(s => s.Nodes).ToList();
        var needed = nodes.OfType<Streamiz.Kafka.Net.Stream.ISourceNodeDescription>().SelectMany(s => s.Topics)
            .Concat(nodes.OfType<Streamiz.Kafka.Net.Stream.ISinkNodeDescription>().Select(s => s.Topic).OfType<string>())
            .Concat(description.GlobalStores.SelectMany(g => g.Source.Topics))
            .Where(t => !internalTopics.Repartition.Contains(t))
            .Append(new PaymentTopics(environment).DeadLetter).Append(InstanceDirectory.TopicFor(applicationId));
        Assert.Equal(needed.Distinct().Order(), created.Select(t => t.Name).Order());
        // Read together, so co-partitioned: one count for all but the instance directory's single partition.
        Assert.Single(created.Where(t => t.Name != InstanceDirectory.TopicFor(applicationId)).Select(t => t.Partitions).Distinct());
    }

    // The options of the line of script that starts with prefix.
    private static Dictionary<string, string> Command(string script, string prefix)
    {
        var line = script.Split('\n').Select(l => l.Trim()).SingleOrDefault(l => l.StartsWith(prefix + " ", StringComparison.Ordinal))
            ?? throw new InvalidDataException($"the setup job does not run `{prefix}`");
        return Arguments([.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
    }

    private static Dictionary<string, string> Arguments(IReadOnlyList<string> words) =>
        words.Select((w, i) => (w, i)).Where(x => x.w.StartsWith("--", StringComparison.Ordinal) && x.i + 1 < words.Count)
            .ToDictionary(x => x.w, x => words[x.i + 1]);

    private static IReadOnlyDictionary<string, string> Environment(IDictionary<object, object> service) =>
        Yaml.Get(service, "environment") switch
        {
            IList<object> list => list.Cast<string>().Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
            var map => Yaml.Strings(map),
        };

    // The image's ENV, then the service's environment.
    private static Dictionary<string, string> EffectiveEnvironment(IDictionary<object, object> service)
    {
        var env = new Dictionary<string, string>(DockerfileEnvironment());
        foreach (var (key, value) in Environment(service)) env[key] = value;
        return env;
    }

    /// <summary>The ENV of docker/Dockerfile's last stage (the image), as KEY=VALUE pairs over continued lines.</summary>
    public static IReadOnlyDictionary<string, string> DockerfileEnvironment()
    {
        var text = RepoFiles.Text("docker/Dockerfile").Replace("\\\n", " ", StringComparison.Ordinal);
        var lastStage = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        return lastStage.Split('\n').Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(l => EnvPair().Matches(l[4..]).Select(m => (m.Groups[1].Value, m.Groups[2].Value)))
            .ToDictionary(p => p.Item1, p => p.Item2);
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_.]*)=(\S*)")]
    private static partial Regex EnvPair();

    private static TimeSpan Duration(string compose) =>
        DurationPart().Matches(compose).Aggregate(TimeSpan.Zero, (sum, m) => sum + double.Parse(m.Groups[1].Value) * m.Groups[2].Value switch
        {
            "h" => TimeSpan.FromHours(1), "m" => TimeSpan.FromMinutes(1), "s" => TimeSpan.FromSeconds(1), _ => TimeSpan.FromMilliseconds(1),
        });

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|h|m|s)")]
    private static partial Regex DurationPart();
}
