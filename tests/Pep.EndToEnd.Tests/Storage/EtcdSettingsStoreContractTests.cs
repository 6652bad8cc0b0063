using Pep.Core.Storage;
using Pep.Core.Tests.Storage;
using Pep.EndToEnd.Tests.Infrastructure;
using Pep.EndToEnd.Tests.Infrastructure.Hosts;

namespace Pep.EndToEnd.Tests.Storage;

/// <summary>The settings store contract (the same test class SQLite runs) against a real, secured etcd.</summary>
[Trait(Requires.Trait, Requires.Etcd)]
public sealed class EtcdSettingsStoreContractTests(SecureEtcd etcd) : SettingsStoreContract, IClassFixture<SecureEtcd>, IDisposable
{
    private readonly List<EtcdKeyValue> _connections = [];

    protected override (ISettingsStore First, ISettingsStore Second) CreateStores()
    {
        string prefix = SecureEtcd.NewPrefix();
        EtcdKeyValue first = etcd.Connect(), second = etcd.Connect();
        _connections.Add(first);
        _connections.Add(second);
        return (new EtcdSettingsStore(first, prefix), new EtcdSettingsStore(second, prefix));
    }

    public void Dispose() => _connections.ForEach(c => c.Dispose());
}
