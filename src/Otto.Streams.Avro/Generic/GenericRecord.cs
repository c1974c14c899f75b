using Otto.Streams.Avro.Schema;

namespace Otto.Streams.Avro.Generic;

/// <summary>A record value driven by its schema; field values use the generic representation described on
/// <see cref="GenericDatumWriter"/>.</summary>
public sealed class GenericRecord
{
    private readonly object?[] _values;

    /// <summary>Creates a record with every field null.</summary>
    public GenericRecord(RecordSchema schema)
    {
        Schema = schema;
        _values = new object?[schema.Fields.Count];
    }

    /// <summary>The record's schema.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The value of the field called <paramref name="fieldName"/>.</summary>
    /// <exception cref="AvroException">The schema has no such field.</exception>
    public object? this[string fieldName]
    {
        get => _values[FieldOf(fieldName).Position];
        set => _values[FieldOf(fieldName).Position] = value;
    }

    /// <summary>The value of the field at <paramref name="position"/>.</summary>
    public object? this[int position]
    {
        get => _values[position];
        set => _values[position] = value;
    }

    /// <summary>The value of a field, or false if the schema has no such field.</summary>
    public bool TryGetValue(string fieldName, out object? value)
    {
        var field = Schema.GetField(fieldName);
        value = field is null ? null : _values[field.Position];
        return field is not null;
    }

    /// <summary>Shows the record's full name and field values, for diagnostics.</summary>
    public override string ToString() =>
        $"{Schema.FullName} {{ {string.Join(", ", Schema.Fields.Select(f => $"{f.Name} = {_values[f.Position] ?? "null"}"))} }}";

    private AvroField FieldOf(string name) =>
        Schema.GetField(name) ?? throw new AvroException($"record {Schema.FullName} has no field '{name}'");
}
