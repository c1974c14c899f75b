namespace Otto.Streams.Avro.Serdes;

/// <summary>Settings shared by <see cref="AvroSerDes{T}"/> and <see cref="GenericAvroSerDes"/>.</summary>
public sealed record AvroSerDesOptions
{
    /// <summary>True when the serde handles record keys (subject suffix "-key"), false for values.</summary>
    public bool IsKey { get; init; }

    /// <summary>How subjects are named; <see cref="SubjectNameStrategy.TopicName"/> by default.</summary>
    public SubjectNameStrategy SubjectNameStrategy { get; init; } = SubjectNameStrategy.TopicName;

    /// <summary>Register the writer schema on first use (true, the default), or only look it up and fail
    /// when it is not registered (false, for registries managed by a platform team).</summary>
    public bool AutoRegisterSchemas { get; init; } = true;
}
