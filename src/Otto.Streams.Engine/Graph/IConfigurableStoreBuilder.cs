using Otto.Streams.State;

namespace Otto.Streams.Graph;

/// <summary>A store builder whose final shape depends on the config (serdes left to the config's defaults): the
/// topology resolves it when it builds a task.</summary>
internal interface IConfigurableStoreBuilder : IStoreBuilder
{
    /// <summary>The builder to use under <paramref name="config"/>.</summary>
    IStoreBuilder For(StreamConfig config);
}
