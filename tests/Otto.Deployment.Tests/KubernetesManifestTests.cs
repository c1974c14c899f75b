using System.Text.RegularExpressions;
using Otto.Streams.Worker.Configuration;

namespace Otto.Deployment.Tests;

/// <summary>deploy/k8s, checked without a cluster: what kustomize applies, the StatefulSet's probes, ports, volume,
/// grace period and environment against what the worker serves and reads, and that the Services, the budget and the
/// secrets find what they name.</summary>
public sealed partial class KubernetesManifestTests
{
    private const string Folder = "deploy/k8s";

    private static readonly IReadOnlyList<IDictionary<object, object>> Manifests = [.. Directory
        .GetFiles(Path.Combine(RepoFiles.Root, Folder), "*.yaml")
        .Where(f => Path.GetFileName(f) != "kustomization.yaml")
        .SelectMany(f => RepoFiles.YamlDocuments(Path.GetRelativePath(RepoFiles.Root, f)).Select(d => Yaml.Map(d, f)))];

    private static IDictionary<object, object> One(string kind, string? name = null) =>
        Assert.Single(Manifests, m => Yaml.Scalar(m, "kind") == kind && (name is null || Yaml.Scalar(m, "metadata", "name") == name));

    private static readonly IDictionary<object, object> StatefulSet = One("StatefulSet");
    private static readonly IDictionary<object, object> Container = Assert.Single(Yaml.Maps(StatefulSet, "spec", "template", "spec", "containers"));
    private static readonly IReadOnlyDictionary<string, string> PodLabels = Yaml.Strings(Yaml.Get(StatefulSet, "spec", "template", "metadata", "labels"));

    // The container's environment as the worker sees it: the ConfigMaps it takes whole, then its own values (references
    // to Secrets and the downward API as they are written).
    private static Dictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>();
        foreach (var source in Yaml.Maps(Container, "envFrom"))
        {
            if (Yaml.Scalar(source, "configMapRef", "name") is { } configMap)
                foreach (var (key, value) in Yaml.Strings(Yaml.Get(One("ConfigMap", configMap), "data"))) env[key] = value;
        }
        foreach (var variable in Yaml.Maps(Container, "env"))
            env[Yaml.Scalar(variable, "name")!] = Yaml.Scalar(variable, "value") ?? $"valueFrom:{string.Join(',', Yaml.Map(variable["valueFrom"], "valueFrom").Keys)}";
        return env;
    }

    private static int ContainerPort(object port) =>
        port is string name && !int.TryParse(name, out _)
            ? int.Parse(Yaml.Scalar(Assert.Single(Yaml.Maps(Container, "ports"), p => Yaml.Scalar(p, "name") == name), "containerPort")!)
            : int.Parse((string)port);

    [Fact]
    public void Kustomize_applies_every_manifest_of_the_folder()
    {
        var resources = Yaml.List(Yaml.Get(RepoFiles.Yaml($"{Folder}/kustomization.yaml"), "resources"), "resources").Cast<string>().Order();
        var files = Directory.GetFiles(Path.Combine(RepoFiles.Root, Folder), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order();
        Assert.Equal(files, resources);
    }

    [Fact]
    public void Probes_ask_the_health_endpoints_on_the_metrics_port()
    {
        var env = Environment();
        var metricsPort = int.Parse(OttoSettings.Value(env, "Otto__Metrics__Port", new MetricsOptions().Port));
        Assert.Equal("0.0.0.0", env["Otto__Metrics__Host"]);
        Assert.Equal("/health/live", Yaml.Scalar(Container, "livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/ready", Yaml.Scalar(Container, "readinessProbe", "httpGet", "path"));
        Assert.Equal(metricsPort, ContainerPort(Yaml.Get(Container, "livenessProbe", "httpGet", "port")!));
        Assert.Equal(metricsPort, ContainerPort(Yaml.Get(Container, "readinessProbe", "httpGet", "port")!));
        Assert.Equal(metricsPort.ToString(), Yaml.Scalar(StatefulSet, "spec", "template", "metadata", "annotations", "prometheus.io/port"));
    }

    [Fact]
    public void Termination_grace_period_is_longer_than_the_shutdown_timeout()
    {
        var shutdown = TimeSpan.Parse(OttoSettings.Value(Environment(), "Otto__Streams__ShutdownTimeout", new StreamsOptions().ShutdownTimeout));
        var grace = TimeSpan.FromSeconds(int.Parse(Yaml.Scalar(StatefulSet, "spec", "template", "spec", "terminationGracePeriodSeconds") ?? "30"));
        Assert.True(grace > shutdown, $"terminationGracePeriodSeconds {grace.TotalSeconds} is not longer than Otto:Streams:ShutdownTimeout {shutdown}");
    }

    [Fact]
    public void The_budget_and_the_services_select_the_worker_pods()
    {
        Assert.Equal(PodLabels.Where(l => Yaml.Strings(Yaml.Get(StatefulSet, "spec", "selector", "matchLabels")).ContainsKey(l.Key)),
            Yaml.Strings(Yaml.Get(StatefulSet, "spec", "selector", "matchLabels")));
        var budget = Yaml.Strings(Yaml.Get(One("PodDisruptionBudget"), "spec", "selector", "matchLabels"));
        Assert.NotEmpty(budget);
        Assert.All(budget, l => Assert.Equal(l.Value, PodLabels.GetValueOrDefault(l.Key)));

        var headless = One("Service", Yaml.Scalar(StatefulSet, "spec", "serviceName"));
        Assert.Equal("None", Yaml.Scalar(headless, "spec", "clusterIP"));
        foreach (var service in Manifests.Where(m => Yaml.Scalar(m, "kind") == "Service"))
        {
            var selector = Yaml.Strings(Yaml.Get(service, "spec", "selector"));
            Assert.NotEmpty(selector);
            Assert.All(selector, l => Assert.Equal(l.Value, PodLabels.GetValueOrDefault(l.Key)));
            foreach (var port in Yaml.Maps(service, "spec", "ports")) ContainerPort(Yaml.Get(port, "targetPort") ?? Yaml.Get(port, "port")!);
        }
    }

    [Fact]
    public void Each_pod_advertises_its_stable_name_under_the_headless_service_and_joins_with_it()
    {
        var env = Environment();
        var names = Yaml.Maps(Container, "env").Select(v => Yaml.Scalar(v, "name")).ToList();
        var headless = Yaml.Scalar(StatefulSet, "spec", "serviceName");
        var url = env["Otto__Query__AdvertisedUrl"];
        Assert.Equal($"http://$(POD_NAME).{headless}.$(POD_NAMESPACE).svc:{env["Otto__Query__Port"]}", url);
        // Kubernetes expands $(VAR) only from variables defined earlier in the list.
        foreach (var reference in Reference().Matches(url).Select(m => m.Groups[1].Value))
            Assert.True(names.IndexOf(reference) is >= 0 and var i && i < names.IndexOf("Otto__Query__AdvertisedUrl"), $"$({reference}) is not defined before its use");
        foreach (var fromPodName in new[] { "POD_NAME", "Otto__Streams__GroupInstanceId" })
            Assert.Equal("metadata.name", Yaml.Scalar(Assert.Single(Yaml.Maps(Container, "env"), v => Yaml.Scalar(v, "name") == fromPodName), "valueFrom", "fieldRef", "fieldPath"));
    }

    [Fact]
    public void State_lives_on_the_claimed_volume_at_the_configured_state_dir()
    {
        var claim = Yaml.Scalar(Assert.Single(Yaml.Maps(StatefulSet, "spec", "volumeClaimTemplates")), "metadata", "name");
        var mount = Assert.Single(Yaml.Maps(Container, "volumeMounts"), m => Yaml.Scalar(m, "name") == claim);
        Assert.Equal(Environment()["Otto__Streams__StateDir"], Yaml.Scalar(mount, "mountPath"));
    }

    [Fact]
    public void Every_environment_variable_is_a_documented_Otto_setting()
    {
        Assert.Empty(Environment().Select(kv => OttoSettings.Problem(kv.Key, kv.Value.StartsWith("valueFrom:", StringComparison.Ordinal) ? null : kv.Value)).OfType<string>());
    }

    [Fact]
    public void Secrets_it_needs_are_manifests_or_created_by_README_s_command()
    {
        var readme = RepoFiles.Text("README.md");
        var secretManifests = Manifests.Where(m => Yaml.Scalar(m, "kind") == "Secret").Select(m => Yaml.Scalar(m, "metadata", "name")).ToHashSet();
        var required = Yaml.Maps(Container, "env").Select(v => Yaml.Get(v, "valueFrom", "secretKeyRef")).OfType<IDictionary<object, object>>()
            .Where(r => Yaml.Scalar(r, "optional") != "true").Select(r => (Name: Yaml.Scalar(r, "name")!, Key: Yaml.Scalar(r, "key")!)).ToList();
        Assert.NotEmpty(required);
        foreach (var (name, key) in required.Where(r => !secretManifests.Contains(r.Name)))
        {
            var command = readme.Split('\n').FirstOrDefault(l => l.Contains($"kubectl create secret generic {name} ", StringComparison.Ordinal));
            Assert.True(command is not null, $"Secret {name} is neither in {Folder} nor created by a `kubectl create secret generic {name}` in README");
            Assert.Contains($"--from-literal={key}=", command);
        }
        foreach (var source in Yaml.Maps(Container, "envFrom").Select(s => Yaml.Get(s, "secretRef")).OfType<IDictionary<object, object>>())
            Assert.True(Yaml.Scalar(source, "optional") == "true" || secretManifests.Contains(Yaml.Scalar(source, "name")), $"Secret {Yaml.Scalar(source, "name")} must exist");
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
