using System.Text;
using Confluent.Kafka;

namespace Otto.Payments.Tests;

/// <summary>A stand-in, only so the dead-letter tests (skipped until Otto's dead-letter layer over Streamiz lands)
/// keep compiling: the header names the old engine wrote and the new layer keeps. Delete this file when wiring them
/// and use the layer's own DeadLetterHeaders.</summary>
internal static class DeadLetterHeaders
{
    public const string Topic = "otto.errors.topic";
    public const string Offset = "otto.errors.offset";
    public const string Stage = "otto.errors.stage";
    public const string ExceptionClass = "otto.errors.exception.class";
    public const string ExceptionMessage = "otto.errors.exception.message";

    /// <summary>A header of a record read from the dead-letter topic, as text (null when absent).</summary>
    public static string? Header(this ConsumeResult<string, byte[]> record, string name) =>
        record.Message.Headers?.TryGetLastBytes(name, out var value) == true ? Encoding.UTF8.GetString(value) : null;
}
