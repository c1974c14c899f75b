namespace Otto.Streams.Processors;

/// <summary>Sends each record to the child of the first branch whose predicate it satisfies, else to the default
/// branch's child if there is one, else nowhere (Kafka Streams' KStreamBranch).</summary>
internal sealed class BranchNode(string name, IReadOnlyList<(Func<object?, object?, bool> Predicate, string Child)> branches, string? defaultChild)
    : ProcessorNode(name)
{
    public override void Process(object? key, object? value)
    {
        foreach (var (predicate, child) in branches)
        {
            if (!predicate(key, value)) continue;
            Context.Forward(this, key, value, null, null, child);
            return;
        }
        if (defaultChild is not null) Context.Forward(this, key, value, null, null, defaultChild);
    }
}
