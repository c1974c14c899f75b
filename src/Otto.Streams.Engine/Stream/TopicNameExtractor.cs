using Otto.Streams.Processors;

namespace Otto.Streams.Stream;

/// <summary>Chooses the topic of each record written by <see cref="IKStream{K,V}.To(TopicNameExtractor{K,V},SerDes.ISerDes{K},SerDes.ISerDes{V},string)"/>
/// (Kafka Streams' TopicNameExtractor); <paramref name="source"/> is where the record came from, null inside a punctuation.</summary>
public delegate string TopicNameExtractor<in K, in V>(K key, V value, RecordMetadata? source);
