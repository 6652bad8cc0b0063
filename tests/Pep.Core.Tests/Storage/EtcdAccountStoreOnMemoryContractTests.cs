using Pep.Core.Accounts;
using Pep.Core.Accounts.Stores;

namespace Pep.Core.Tests.Storage;

/// <summary>The etcd store's logic against the in-memory double (the real cluster runs the same contract in the end-to-end tests).</summary>
public sealed class EtcdAccountStoreOnMemoryContractTests : AccountStoreContract
{
    protected override (IAccountStore First, IAccountStore Second) CreateStores()
    {
        var kv = new InMemoryVersionedKeyValue();
        return (new EtcdAccountStore(kv, "/pep/test/"), new EtcdAccountStore(kv, "/pep/test/"));
    }
}
