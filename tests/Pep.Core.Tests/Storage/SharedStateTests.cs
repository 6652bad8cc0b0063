using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Storage;

namespace Pep.Core.Tests.Storage;

/// <summary>How deployment.json's "store" section is read: refusals happen before any connection is made.</summary>
public sealed class SharedStateTests : IDisposable
{
    private readonly StateLayout _layout = new(Directory.CreateTempSubdirectory("pep-shared-").FullName);

    private static DeploymentConfig Config(StoreSettings? store) => new()
    {
        Stamp = new StampIdentity
        {
            Name = "azs", RegionName = "local", DomainNetBiosName = "AZURESTACK", DomainFqdn = "azurestack.local",
            ExternalDomainFqdn = "local", CloudId = Guid.NewGuid(), DeploymentId = Guid.NewGuid(),
        },
        Instances = [new InstanceConfig { Name = "ERCS01", Address = "127.0.0.1", Port = 4443 }],
        Store = store,
    };

    private static StoreSettings Etcd => new() { Kind = StoreSettings.Etcd, Endpoints = ["http://127.0.0.1:2379"], Prefix = "/pep/x/" };

    [Fact]
    public void NoStoreSection_OpensTheEmbeddedStore()
    {
        using SharedState state = SharedState.Open(_layout, Config(null));
        Assert.Equal("sqlite", state.Description);
        state.Settings.Set("dns/forwarders", "[]");
        Assert.Equal("[]", state.Settings.Get("dns/forwarders")!.Value);
    }

    [Fact]
    public void EtcdStore_WithNobodyListening_IsNotReachable()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using SharedState state = SharedState.Open(_layout, Config(Etcd with { Endpoints = [$"http://127.0.0.1:{closedPort}"] }));

        Assert.False(state.IsReachable(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void PasswordFileReadableByOthers_IsRefused()
    {
        string file = Path.Combine(_layout.Root, "etcd-password");
        File.WriteAllText(file, "secret");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<DeploymentException>(() => SharedState.Open(_layout, Config(Etcd with { Username = "pep", PasswordFile = "etcd-password" })));
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivatePasswordFile_IsReadRelativeToTheStateDirectory()
    {
        SecretFile.WriteAllText(Path.Combine(_layout.Root, "etcd-password"), "secret\n");
        EtcdConnectionOptions options = SharedState.EtcdOptionsFrom(_layout, Etcd with { Username = "pep", PasswordFile = "etcd-password" });
        Assert.Equal("secret", options.Password);
        Assert.DoesNotContain("secret", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UserWithoutPasswordFile_IsRefused()
        => Assert.Throws<DeploymentException>(() => SharedState.Open(_layout, Config(Etcd with { Username = "pep" })));

    [Theory]
    [InlineData("127.0.0.1:2379")]
    [InlineData("ftp://127.0.0.1:2379")]
    [InlineData("not a url")]
    public void MalformedEndpoints_AreRefused(string endpoint)
        => Assert.Throws<DeploymentException>(() => SharedState.Open(_layout, Config(Etcd with { Endpoints = [endpoint] })));

    [Fact]
    public void UnknownStoreKind_IsRefused()
        => Assert.Throws<DeploymentException>(() => SharedState.Open(_layout, Config(new StoreSettings { Kind = "redis" })));

    [Fact]
    public void EtcdWithoutPrefix_IsRefused()
        => Assert.Throws<DeploymentException>(() => SharedState.Open(_layout, Config(Etcd with { Prefix = null })));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_layout.Root, recursive: true);
    }
}
