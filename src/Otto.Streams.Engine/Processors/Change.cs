namespace Otto.Streams.Processors;

/// <summary>A table update as it travels between table nodes (Kafka Streams' <c>Change</c>): the new value (null:
/// deleted) and the old one, which is only filled in when a downstream node asked for old values.</summary>
internal sealed record Change(object? NewValue, object? OldValue);
