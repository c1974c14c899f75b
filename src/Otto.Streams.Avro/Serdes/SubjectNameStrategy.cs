namespace Otto.Streams.Avro.Serdes;

/// <summary>How a serde names the registry subject of a topic's keys or values (Confluent's strategies).</summary>
public enum SubjectNameStrategy
{
    /// <summary>"{topic}-key" / "{topic}-value" (the default).</summary>
    TopicName,
    /// <summary>The record's full name.</summary>
    RecordName,
    /// <summary>"{topic}-{record full name}".</summary>
    TopicRecordName,
}

/// <summary>Applies a <see cref="SubjectNameStrategy"/>.</summary>
public static class SubjectNames
{
    /// <summary>The subject for a key or value of <paramref name="recordFullName"/> on <paramref name="topic"/>.</summary>
    public static string For(SubjectNameStrategy strategy, string topic, bool isKey, string recordFullName) => strategy switch
    {
        SubjectNameStrategy.TopicName => $"{topic}-{(isKey ? "key" : "value")}",
        SubjectNameStrategy.RecordName => recordFullName,
        SubjectNameStrategy.TopicRecordName => $"{topic}-{recordFullName}",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null),
    };
}
