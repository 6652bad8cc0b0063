using System.Net;
using Microsoft.Data.Sqlite;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;
using Pep.Core.Storage;

namespace Pep.Core.Tests.Stamp.Settings;

public sealed class DnsServerSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pep-dns-server-").FullName;

    [Theory]
    [InlineData("contoso.com")]
    [InlineData("Corp.Contoso.COM.")]
    [InlineData("a-b.example")]
    public void CheckZone_AcceptsDomainNames(string zone)
    {
        Assert.Null(DnsServerSettings.CheckZone(zone));
    }

    [Theory]
    [InlineData("not a zone")]
    [InlineData("localhost")]
    [InlineData("-bad.com")]
    [InlineData("contoso..com")]
    [InlineData("")]
    [InlineData("contoso.com\nforward-zone evil.com 10.0.0.1")]
    public void CheckZone_RefusesWhatIsNotADomainName_OrWouldAddALineToTheFile(string zone)
    {
        Assert.NotNull(DnsServerSettings.CheckZone(zone));
    }

    [Fact]
    public void WithZone_ReplacesTheSameZoneWhateverItsCase_AndDescribeOrdersZones()
    {
        DnsServerSettings settings = DnsServerSettings.Default
            .WithZone("fabrikam.com", [IPAddress.Parse("10.0.0.2")])
            .WithZone("contoso.com", [IPAddress.Parse("10.0.0.1")])
            .WithZone("CONTOSO.com.", [IPAddress.Parse("10.0.0.3"), IPAddress.Parse("2001:db8::3")]);

        Assert.Equal(["contoso.com 10.0.0.3 2001:db8::3", "fabrikam.com 10.0.0.2"], settings.Describe());
    }

    [Fact]
    public void CheckServers_RefusesMulticastAndANewZonePastTheLimit_ButNotReplacingAZoneAtTheLimit()
    {
        DnsServerSettings full = DnsServerSettings.Default;
        for (int zone = 0; zone < DnsServerSettings.MaxZones; zone++)
        {
            full = full.WithZone($"z{zone}.example", [IPAddress.Parse("10.0.0.1")]);
        }

        Assert.NotNull(DnsServerSettings.Default.CheckServers("contoso.com", [IPAddress.Parse("224.0.0.1")]));
        Assert.NotNull(full.CheckServers("contoso.com", [IPAddress.Parse("10.0.0.1")]));
        Assert.Null(full.CheckServers("z0.example", [IPAddress.Parse("10.0.0.9")]));
    }

    [Fact]
    public void SharedValue_RoundTrips_AndAStaleVersionLosesTheCompareAndSwap()
    {
        var store = new SqliteSettingsStore(Path.Combine(_directory, "accounts.db"));
        Assert.Equal((DnsServerSettings.Default.UseRootHint, 0L), (DnsServerSettings.ReadShared(store).Settings.UseRootHint, DnsServerSettings.ReadShared(store).Version));

        DnsServerSettings set = DnsServerSettings.Default with { UseRootHint = false };
        Assert.True(set.WithZone("contoso.com", [IPAddress.Parse("10.0.0.1")]).TryWriteShared(store, 0));
        (DnsServerSettings read, long version) = DnsServerSettings.ReadShared(store);

        Assert.False(read.UseRootHint);
        Assert.Equal(["contoso.com 10.0.0.1"], read.Describe());
        Assert.False(read.TryWriteShared(store, 0));
        Assert.True(read.TryWriteShared(store, version));
    }

    [Fact]
    public void ReadShared_OfAValueThatIsNotSettings_SaysWhichSetting()
    {
        var store = new SqliteSettingsStore(Path.Combine(_directory, "accounts.db"));
        store.Set(DnsServerSettings.SettingKey, "{not json");

        StampManifestException e = Assert.Throws<StampManifestException>(() => DnsServerSettings.ReadShared(store));
        Assert.Contains(DnsServerSettings.SettingKey, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PutsOneDirectivePerLine()
    {
        string file = Path.Combine(_directory, "server.conf");
        (DnsServerSettings.Default with { UseRootHint = false }).WithZone("contoso.com", [IPAddress.Parse("10.0.0.1")]).Write(file);

        Assert.Equal(["use-root-hints no", "forward-zone contoso.com 10.0.0.1"], File.ReadAllLines(file).Skip(1));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
