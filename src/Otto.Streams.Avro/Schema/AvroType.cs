namespace Otto.Streams.Avro.Schema;

/// <summary>The Avro 1.11 schema types.</summary>
public enum AvroType
{
    /// <summary>No value.</summary>
    Null,
    /// <summary>A binary value.</summary>
    Boolean,
    /// <summary>32-bit signed integer.</summary>
    Int,
    /// <summary>64-bit signed integer.</summary>
    Long,
    /// <summary>32-bit IEEE 754 floating point.</summary>
    Float,
    /// <summary>64-bit IEEE 754 floating point.</summary>
    Double,
    /// <summary>Sequence of bytes.</summary>
    Bytes,
    /// <summary>Unicode character sequence.</summary>
    String,
    /// <summary>Named record of fields.</summary>
    Record,
    /// <summary>Named enumeration of symbols.</summary>
    Enum,
    /// <summary>Array of items of one schema.</summary>
    Array,
    /// <summary>Map from string keys to values of one schema.</summary>
    Map,
    /// <summary>One of several schemas.</summary>
    Union,
    /// <summary>Named fixed-size byte sequence.</summary>
    Fixed,
}
