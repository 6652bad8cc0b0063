using Pep.Core.Storage;

namespace Pep.Core.Tests.Storage;

public sealed class EtcdSettingsStoreOnMemoryContractTests : SettingsStoreContract
{
    protected override (ISettingsStore First, ISettingsStore Second) CreateStores()
    {
        var kv = new InMemoryVersionedKeyValue();
        return (new EtcdSettingsStore(kv, "/pep/test/"), new EtcdSettingsStore(kv, "/pep/test/"));
    }
}
