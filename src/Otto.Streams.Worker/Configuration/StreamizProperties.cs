using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Streamiz.Kafka.Net;

namespace Otto.Streams.Worker.Configuration;

/// <summary>
/// Applies a setting from configuration (always a string) to a Streamiz <see cref="StreamConfig"/>. Streamiz's
/// <c>AddConfig</c> hands the value as it is to the typed property a Streamiz key names (<c>max.poll.restoring.records</c>,
/// <c>metrics.recording.level</c>, ...), which fails for anything but a string property ("Object of type
/// 'System.String' cannot be converted to type 'System.Int64'"), so the worker could not start with such a setting in
/// <c>Otto:Kafka:Properties</c>. This converts the string to the property's type first; librdkafka settings (prefixed or
/// not) are strings and pass through.
/// </summary>
internal static class StreamizProperties
{
    // Streamiz's typed settings by key, from the attribute it marks them with (StreamConfigPropertyAttribute, internal
    // to Streamiz, read by name); read-only ones are left out, as Streamiz's AddConfig leaves them out.
    private static readonly Dictionary<string, Type> Typed = typeof(StreamConfig).GetProperties()
        .Select(p => (Property: p, Attribute: p.GetCustomAttributes().FirstOrDefault(a => a.GetType().Name == "StreamConfigPropertyAttribute")))
        .Where(x => x.Attribute is not null && x.Property.CanWrite && !(bool)(Read(x.Attribute!, "ReadOnly") ?? false))
        .GroupBy(x => (string)Read(x.Attribute!, "KeyName")!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Property.PropertyType, StringComparer.Ordinal);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, converted to the type Streamiz's property for
    /// that key has, if it has one.</summary>
    /// <exception cref="ArgumentException">The value does not convert to the setting's type.</exception>
    public static void Add(StreamConfig config, string key, string value)
    {
        if (!Typed.TryGetValue(key, out var type) || type == typeof(string))
        {
            config.AddConfig(key, value);
            return;
        }

        object? typed;
        try
        {
            var target = Nullable.GetUnderlyingType(type) ?? type;
            // Enums take librdkafka's spelling too (security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-256 for
            // Confluent's SaslSsl, ScramSha256), as README and every Kafka client document them.
            typed = target.IsEnum
                ? Enum.Parse(target, value.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal), ignoreCase: true)
                : TypeDescriptor.GetConverter(target).ConvertFromString(null, CultureInfo.InvariantCulture, value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"Otto:Kafka:Properties:{key} = '{value}' is not a valid {(Nullable.GetUnderlyingType(type) ?? type).Name}.", e);
        }

        config.AddConfig(key, (dynamic)typed!);
    }

    private static object? Read(object attribute, string property) => attribute.GetType().GetProperty(property)?.GetValue(attribute);
}
