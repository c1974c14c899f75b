namespace Otto.Streams.Avro.Generic;

/// <summary>Helpers over generic values.</summary>
internal static class GenericValues
{
    /// <summary>Copies mutable generic values (records, lists, dictionaries, byte arrays) so a shared default
    /// value is never mutated through a record that received it.</summary>
    public static object? DeepCopy(object? value) => value switch
    {
        GenericRecord r => CopyRecord(r),
        List<object?> list => list.Select(DeepCopy).ToList(),
        Dictionary<string, object?> map => map.ToDictionary(e => e.Key, e => DeepCopy(e.Value), StringComparer.Ordinal),
        byte[] bytes => bytes.ToArray(),
        _ => value,
    };

    private static GenericRecord CopyRecord(GenericRecord source)
    {
        var copy = new GenericRecord(source.Schema);
        for (var i = 0; i < source.Schema.Fields.Count; i++) copy[i] = DeepCopy(source[i]);
        return copy;
    }
}
