using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Otto.Payments.Rules;
using Otto.Streams.Worker.Configuration;

namespace Otto.Deployment.Tests;

/// <summary>
/// Whether an environment variable a deployment file sets is one Otto reads: an <c>Otto__...</c> key must name a
/// property of <see cref="OttoOptions"/> (dictionaries such as <c>Otto:Kafka:Properties</c> and the rule maps take any
/// key, enum-keyed ones a member of the enum, <c>Otto:Payments:Rules</c> a rule's name), its value must convert to that
/// property's type as the configuration binder converts it, and README's Configuration table must document it. Any other
/// variable must be on a short list.
/// </summary>
public static partial class OttoSettings
{
    /// <summary>Variables other than Otto's that a deployment may set: .NET's and ASP.NET Core's own, logging, and the
    /// pod's identity (set from the downward API only to build other values, as $(POD_NAME)).</summary>
    private static readonly string[] OtherPrefixes = ["Logging__", "ASPNETCORE_", "DOTNET_"];
    private static readonly string[] OtherNames = ["POD_NAME", "POD_NAMESPACE"];

    /// <summary>Settings another branch is adding (static group membership, issue #13): accepted while OttoOptions lacks
    /// them; once it has them they are checked like any other.</summary>
    private static readonly string[] ComingFromOtherBranches = ["Otto:Streams:GroupInstanceId"];

    // Dictionary sections whose keys are fixed by the code rather than by the dictionary's key type.
    private static readonly Dictionary<string, IReadOnlyList<string>> KnownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Otto:Payments:Rules"] = PaymentRules.Names,
    };

    private static readonly Lazy<IReadOnlyList<string[]>> Documented = new(ReadmeSettings);

    /// <summary>Why <paramref name="name"/>=<paramref name="value"/> is not a setting Otto reads and documents, or null.
    /// A value that is a Compose interpolation (<c>${...}</c>) or a Kubernetes reference (<c>$(...)</c>) is not converted.</summary>
    public static string? Problem(string name, string? value)
    {
        if (!name.StartsWith("Otto__", StringComparison.Ordinal))
        {
            return OtherPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || OtherNames.Contains(name)
                ? null
                : $"{name} is neither an Otto setting nor on the list of other variables allowed";
        }
        var key = name.Replace("__", ":", StringComparison.Ordinal);
        var segments = key.Split(':');
        if (ComingFromOtherBranches.Contains(key, StringComparer.OrdinalIgnoreCase) && Property(segments) is null) return null;
        return Bind(typeof(OttoOptions), segments, 1, value, "Otto") ?? (IsDocumented(segments) ? null : $"{name}: README's Configuration table does not document {key}");
    }

    private static PropertyInfo? Property(string[] segments)
    {
        var type = typeof(OttoOptions);
        PropertyInfo? property = null;
        foreach (var segment in segments.Skip(1))
        {
            property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null) return null;
            type = property.PropertyType;
        }
        return property;
    }

    // Walks segments[i..] from type as Microsoft.Extensions.Configuration's binder would.
    private static string? Bind(Type type, string[] segments, int i, string? value, string path)
    {
        if (i == segments.Length) return $"{path} is a section, not a setting";
        var property = type.GetProperty(segments[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null) return $"{type.Name} has no setting {segments[i]} ({path}:{segments[i]})";
        path = $"{path}:{property.Name}";
        var propertyType = property.PropertyType;
        if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            if (i + 1 == segments.Length) return $"{path} is a map: name one of its keys";
            var (keyType, valueType) = (propertyType.GetGenericArguments()[0], propertyType.GetGenericArguments()[1]);
            var entry = segments[i + 1];
            if (keyType.IsEnum && !Enum.TryParse(keyType, entry, ignoreCase: true, out _))
                return $"{path}: '{entry}' is not one of {string.Join(", ", Enum.GetNames(keyType))}";
            if (KnownKeys.TryGetValue(path, out var known) && !known.Contains(entry, StringComparer.OrdinalIgnoreCase))
                return $"{path}: '{entry}' is not one of {string.Join(", ", known)}";
            return IsLeaf(valueType) ? Leaf(valueType, segments, i + 2, value, $"{path}:{entry}") : Bind(valueType, segments, i + 2, value, $"{path}:{entry}");
        }
        return IsLeaf(propertyType) ? Leaf(propertyType, segments, i + 1, value, path) : Bind(propertyType, segments, i + 1, value, path);
    }

    private static string? Leaf(Type type, string[] segments, int next, string? value, string path)
    {
        if (next != segments.Length) return $"{path} is a setting, not a section ({string.Join(':', segments)})";
        if (value is null || value.Contains("${", StringComparison.Ordinal) || value.Contains("$(", StringComparison.Ordinal)) return null;
        try
        {
            TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return $"{path}: '{value}' does not convert to {type.Name}";
        }
    }

    private static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }

    private static bool IsDocumented(string[] segments) =>
        Documented.Value.Any(pattern => pattern.Length == segments.Length &&
            pattern.Zip(segments).All(p => p.First.StartsWith('<') || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The settings README's Configuration table names, as patterns of segments (<c>&lt;key&gt;</c> matches
    /// any one). A row's first cell names one setting in full and may add siblings by their last part(s):
    /// "`Otto:Metrics:Enabled`, `Host`, `Port`".</summary>
    public static IReadOnlyList<string[]> ReadmeSettings()
    {
        var readme = RepoFiles.Text("README.md");
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no Configuration section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var patterns = new List<string[]>();
        foreach (var line in readme[start..(end < 0 ? readme.Length : end)].Split('\n').Where(l => l.StartsWith("| `Otto:", StringComparison.Ordinal)))
        {
            var firstCell = line.Split('|')[1];
            string? prefix = null;
            foreach (var token in Backticked().Matches(firstCell).Select(m => m.Groups[1].Value).Where(t => !t.Contains(' ')))
            {
                var full = token.StartsWith("Otto:", StringComparison.Ordinal) ? token : prefix is null ? null : $"{prefix}:{token}";
                if (full is null) continue;
                prefix ??= full[..full.LastIndexOf(':')];
                patterns.Add(full.Split(':'));
            }
        }
        return patterns;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    /// <summary>The effective value of an Otto setting for a process: <paramref name="environment"/>, else
    /// <paramref name="fallback"/> (the type's default).</summary>
    public static string Value(IReadOnlyDictionary<string, string> environment, string name, object fallback) =>
        environment.TryGetValue(name, out var value) ? value : Convert.ToString(fallback, CultureInfo.InvariantCulture)!;
}
