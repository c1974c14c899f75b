namespace Otto.Streams.Streamiz.Instances;

/// <summary>Where a key's partition is held.</summary>
/// <param name="Partition">The key's partition.</param>
/// <param name="IsLocal">A stream thread of this instance holds it: read the local store.</param>
/// <param name="Owner">Otherwise the instance that last said it holds it, or null when none does now (a
/// rebalance is under way, or its owner has not published itself yet).</param>
public sealed record KeyLocation(int Partition, bool IsLocal, Uri? Owner);
