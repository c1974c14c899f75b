using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Otto.Deployment.Tests;

/// <summary>The repository's files as the tests read them: YAML documents as plain maps, lists and strings (merge keys
/// resolved, as Docker Compose resolves them), the README.</summary>
public static class RepoFiles
{
    /// <summary>The directory holding Otto.Streams.sln.</summary>
    public static string Root => RepoPaths.Root;

    /// <summary>The text of a file under the root.</summary>
    public static string Text(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary>Every YAML document of a file: maps are <c>Dictionary&lt;object, object&gt;</c> with string keys, lists
    /// <c>List&lt;object&gt;</c>, scalars strings.</summary>
    public static IReadOnlyList<object> YamlDocuments(string relativePath)
    {
        using var reader = new StringReader(Text(relativePath));
        var parser = new MergingParser(new Parser(reader));
        var deserializer = new DeserializerBuilder().Build();
        parser.Consume<StreamStart>();
        var documents = new List<object>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(deserializer.Deserialize(parser) ?? throw new InvalidDataException($"{relativePath}: an empty document"));
        }
        return documents;
    }

    /// <summary>The single YAML document of a file.</summary>
    public static object Yaml(string relativePath) => Assert.Single(YamlDocuments(relativePath));
}

/// <summary>Reading the deserialized YAML tree: a path of keys, failing with the path when something is missing.</summary>
public static class Yaml
{
    /// <summary>The map at <paramref name="node"/>.</summary>
    public static IDictionary<object, object> Map(object? node, string what) =>
        node as IDictionary<object, object> ?? throw new InvalidDataException($"{what} is not a map");

    /// <summary>The list at <paramref name="node"/>.</summary>
    public static IList<object> List(object? node, string what) =>
        node as IList<object> ?? throw new InvalidDataException($"{what} is not a list");

    /// <summary>The child at <paramref name="keys"/> below <paramref name="node"/>, or null when a key is absent.</summary>
    public static object? Get(object? node, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (node is not IDictionary<object, object> map || !map.TryGetValue(key, out node)) return null;
        }
        return node;
    }

    /// <summary>The scalar at <paramref name="keys"/>, or null.</summary>
    public static string? Scalar(object? node, params string[] keys) => Get(node, keys) as string;

    /// <summary>The maps in the list at <paramref name="keys"/> (none when absent).</summary>
    public static IEnumerable<IDictionary<object, object>> Maps(object? node, params string[] keys) =>
        (Get(node, keys) as IList<object> ?? []).OfType<IDictionary<object, object>>();

    /// <summary>A map of scalars as strings (labels, environment maps).</summary>
    public static IReadOnlyDictionary<string, string> Strings(object? node) =>
        (node as IDictionary<object, object> ?? new Dictionary<object, object>())
        .ToDictionary(kv => (string)kv.Key, kv => kv.Value as string ?? "");
}
