namespace Otto.Streams.Stream;

/// <summary>The branches of a split stream (Kafka Streams' BranchedKStream). Each record goes to the first branch
/// whose predicate it satisfies, else to the default branch, else nowhere.</summary>
public interface IBranchedKStream<K, V>
{
    /// <summary>Adds a branch for the records satisfying <paramref name="predicate"/> (and no earlier branch's).</summary>
    IBranchedKStream<K, V> Branch(Func<K, V, bool> predicate, Branched<K, V>? branched = null);

    /// <summary>Adds the branch of records no predicate took and returns the branches by name.</summary>
    IDictionary<string, IKStream<K, V>> DefaultBranch(Branched<K, V>? branched = null);

    /// <summary>Ends the split without a default branch (unmatched records are dropped) and returns the branches by name.</summary>
    IDictionary<string, IKStream<K, V>> NoDefaultBranch();
}

/// <summary>A branch's name and what to do with it (Kafka Streams' Branched). Branch names are the split's name
/// followed by this name, or by the branch's number from 1 (0 for the default branch).</summary>
public sealed class Branched<K, V>
{
    /// <summary>The branch name, or null for its number.</summary>
    public string? Name { get; private init; }

    internal Func<IKStream<K, V>, IKStream<K, V>?>? Chain { get; private init; }

    /// <summary>A named branch.</summary>
    public static Branched<K, V> As(string name) => new() { Name = name };

    /// <summary>A branch continued by <paramref name="chain"/>; its result is what the returned dictionary holds (null: nothing).</summary>
    public static Branched<K, V> WithFunction(Func<IKStream<K, V>, IKStream<K, V>?> chain, string? name = null) => new() { Name = name, Chain = chain };

    /// <summary>A branch consumed by <paramref name="consumer"/>; the returned dictionary does not hold it.</summary>
    public static Branched<K, V> WithConsumer(Action<IKStream<K, V>> consumer, string? name = null) =>
        new() { Name = name, Chain = s => { consumer(s); return null; } };
}
