using Otto.Streams.State;

namespace Otto.Bench;

/// <summary>Supplies a store made beforehand, so a benchmark can read it below the typed layers too.</summary>
internal sealed class GivenStoreSupplier(IKeyValueStore<Bytes, byte[]> store) : IKeyValueBytesStoreSupplier
{
    public string Name => store.Name;
    public IKeyValueStore<Bytes, byte[]> Get() => store;
}
