namespace Otto.Streams.Stream;

/// <summary>Casts from the object-typed graph back to the DSL's types: null (a tombstone, a missing value)
/// becomes the type's default instead of throwing for value types.</summary>
internal static class Untyped
{
    public static T As<T>(object? value) => value is null ? default! : (T)value;
}
