using Otto.Streams.SerDes;
using Otto.Streams.State;

namespace Otto.Streams.Graph;

/// <summary>A global table: every instance reads all partitions of <see cref="Topic"/> into <see cref="StoreName"/>
/// (no changelog: the topic is the changelog). Serdes and store are resolved under a config.</summary>
internal sealed record GlobalTableDefinition(string SourceName, string ProcessorName, string Topic, string StoreName,
    Func<StreamConfig, (ISerDes Key, ISerDes Value, IStoreBuilder Store)> Resolve);
