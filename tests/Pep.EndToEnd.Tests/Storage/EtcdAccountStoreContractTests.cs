using Pep.Core.Accounts;
using Pep.Core.Accounts.Stores;
using Pep.Core.Storage;
using Pep.Core.Tests.Storage;
using Pep.EndToEnd.Tests.Infrastructure;
using Pep.EndToEnd.Tests.Infrastructure.Hosts;

namespace Pep.EndToEnd.Tests.Storage;

/// <summary>
/// The account store contract (the same test class SQLite runs) against a real etcd with TLS, client
/// certificates and password authentication. Each test gets its own key prefix and two connections.
/// </summary>
[Trait(Requires.Trait, Requires.Etcd)]
public sealed class EtcdAccountStoreContractTests(SecureEtcd etcd) : AccountStoreContract, IClassFixture<SecureEtcd>, IDisposable
{
    private readonly List<EtcdKeyValue> _connections = [];

    protected override (IAccountStore First, IAccountStore Second) CreateStores()
    {
        string prefix = SecureEtcd.NewPrefix();
        EtcdKeyValue first = etcd.Connect(), second = etcd.Connect();
        _connections.Add(first);
        _connections.Add(second);
        return (new EtcdAccountStore(first, prefix), new EtcdAccountStore(second, prefix));
    }

    [Fact]
    public void WrongEtcdPassword_IsAClearStoreError_WithoutThePassword()
    {
        string wrong = Path.Combine(etcd.Layout.Root, "wrong-password");
        Pep.Core.Platform.SecretFile.WriteAllText(wrong, "Not-The-Password-42");
        using EtcdKeyValue connection = etcd.Connect(etcd.Settings with { PasswordFile = wrong });
        var store = new EtcdAccountStore(connection, SecureEtcd.NewPrefix());

        var error = Assert.Throws<StoreUnavailableException>(() => store.Find("alice"));
        Assert.Contains("refused the login of user 'pep'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Not-The-Password-42", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void KeysOutsideTheGrantedPrefix_AreRefusedByEtcd()
    {
        using EtcdKeyValue connection = etcd.Connect();
        var store = new EtcdAccountStore(connection, "/elsewhere/");

        var error = Assert.Throws<StoreUnavailableException>(() => store.Find("alice"));
        Assert.Contains("PermissionDenied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AServerCertificateFromAnotherAuthority_IsRefused()
    {
        string otherCa = Path.Combine(etcd.Layout.Root, "other-ca.crt");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=other", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var other = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(otherCa, other.ExportCertificatePem());
        }

        using EtcdKeyValue connection = etcd.Connect(etcd.Settings with { CaCertificateFile = otherCa, OperationTimeoutSeconds = 2 });
        Assert.Throws<StoreUnavailableException>(() => new EtcdAccountStore(connection, SecureEtcd.NewPrefix()).Find("alice"));
    }

    public void Dispose() => _connections.ForEach(c => c.Dispose());
}
