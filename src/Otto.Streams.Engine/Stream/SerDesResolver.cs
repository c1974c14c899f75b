using Otto.Streams.Errors;
using Otto.Streams.SerDes;

namespace Otto.Streams.Stream;

/// <summary>Picks a node's serde when its task is built: the one given in the DSL, else the config's default.
/// Resolving late lets one topology run under configs with different defaults.</summary>
internal static class SerDesResolver
{
    public static ISerDes Key(ISerDes? given, StreamConfig config, string node) => Resolve(given, config.DefaultKeySerDes, node, "key");

    public static ISerDes Value(ISerDes? given, StreamConfig config, string node) => Resolve(given, config.DefaultValueSerDes, node, "value");

    /// <summary>A typed serde for a store or an operation: the given one, else the config's default if it has the right type.</summary>
    public static ISerDes<T> Typed<T>(ISerDes<T>? given, ISerDes? fallback, string node, string what) =>
        given ?? (Resolve(null, fallback, node, what) as ISerDes<T>
            ?? throw new TopologyException($"node '{node}' needs a {what} serde of {typeof(T).Name}, but the config's default is a {fallback!.GetType().Name}; give one explicitly"));

    private static ISerDes Resolve(ISerDes? given, ISerDes? fallback, string node, string what) =>
        given ?? fallback ?? throw new TopologyException($"node '{node}' has no {what} serde and the config names no default");
}
