namespace Otto.Streams.Avro.Schema;

/// <summary>A union schema; the binary encoding is the branch index followed by the value.</summary>
public sealed class UnionSchema : AvroSchema
{
    internal UnionSchema(IReadOnlyList<AvroSchema> branches) : base(AvroType.Union) => Branches = branches;

    /// <summary>The branches in declaration order.</summary>
    public IReadOnlyList<AvroSchema> Branches { get; }

    /// <summary>Index of the "null" branch, or -1.</summary>
    public int NullIndex
    {
        get
        {
            for (var i = 0; i < Branches.Count; i++)
            {
                if (Branches[i].Type == AvroType.Null) return i;
            }
            return -1;
        }
    }
}
