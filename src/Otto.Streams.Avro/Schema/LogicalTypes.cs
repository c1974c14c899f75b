using System.Text.Json;

namespace Otto.Streams.Avro.Schema;

/// <summary>Reads the logicalType attribute, keeping it only where the spec says it is valid.</summary>
internal static class LogicalTypes
{
    // Logical types other than decimal and timestamp-millis are recognised (so they survive ToJson) but
    // values of them are read and written as their underlying type.
    private static readonly Dictionary<string, AvroType> Underlying = new(StringComparer.Ordinal)
    {
        ["timestamp-millis"] = AvroType.Long,
        ["timestamp-micros"] = AvroType.Long,
        ["local-timestamp-millis"] = AvroType.Long,
        ["local-timestamp-micros"] = AvroType.Long,
        ["time-micros"] = AvroType.Long,
        ["time-millis"] = AvroType.Int,
        ["date"] = AvroType.Int,
        ["uuid"] = AvroType.String,
    };

    public static LogicalType? Read(JsonElement e, AvroType type, int fixedSize)
    {
        if (!e.TryGetProperty("logicalType", out var lt) || lt.ValueKind != JsonValueKind.String) return null;
        var name = lt.GetString()!;
        if (name == LogicalType.DecimalName) return ReadDecimal(e, type, fixedSize);
        if (name == "duration") return type == AvroType.Fixed && fixedSize == 12 ? new LogicalType(name) : null;
        return Underlying.TryGetValue(name, out var expected) && expected == type ? new LogicalType(name) : null;
    }

    private static LogicalType? ReadDecimal(JsonElement e, AvroType type, int fixedSize)
    {
        if (type is not (AvroType.Bytes or AvroType.Fixed)) return null;
        if (!TryInt(e, "precision", out var precision) || precision <= 0) return null;
        var scale = 0;
        if (e.TryGetProperty("scale", out _) && !TryInt(e, "scale", out scale)) return null;
        if (scale < 0 || scale > precision) return null;
        if (type == AvroType.Fixed && precision > MaxPrecision(fixedSize)) return null;
        return new LogicalType(LogicalType.DecimalName, precision, scale);
    }

    // The spec's bound: floor(log10(2^(8n-1) - 1)) digits fit in n bytes of two's complement.
    private static int MaxPrecision(int size) =>
        size == 0 ? 0 : (int)Math.Floor(Math.Log10(Math.Pow(2, 8 * size - 1) - 1));

    private static bool TryInt(JsonElement e, string property, out int value)
    {
        value = 0;
        return e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out value);
    }
}
