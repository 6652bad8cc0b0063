using System.Diagnostics.CodeAnalysis;
using System.Security.Authentication;
using Microsoft.Data.Sqlite;
using Pep.Core.Stamp.Settings;
using Pep.Core.Storage;

namespace Pep.Core.Tests.Stamp.Settings;

[SuppressMessage("Security", "CA5398", Justification = "The versions are what is tested.")]
public sealed class TlsPolicyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pep-tls-").FullName;

    [Theory]
    [InlineData("TLS_All", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("tls_1.2", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("TLS_1.3", SslProtocols.Tls13)]
    public void Protocols_OfEachVersion_NeverIncludeAnythingOlderThanTls12(string version, SslProtocols expected)
    {
        Assert.Equal(expected, TlsPolicy.Protocols(version));
    }

    [Theory]
    [InlineData("TLS_1.0")]
    [InlineData("")]
    [InlineData(null)]
    public void Protocols_OfAValueItDoesNotKnow_FailClosedToTls13Only(string? version)
    {
        Assert.Equal(SslProtocols.Tls13, TlsPolicy.Protocols(version));
        Assert.Null(TlsPolicy.Normalize(version));
    }

    [Fact]
    public void Read_WhenNeverSet_IsTheDefault_AndWriteIsSeenByAnotherStoreOnTheSameDatabase()
    {
        string database = Path.Combine(_directory, "accounts.db");
        var first = new SqliteSettingsStore(database);
        var second = new SqliteSettingsStore(database);

        Assert.Equal((TlsPolicy.All, 0L), TlsPolicy.Read(second));
        TlsPolicy.Write(first, "tls_1.3");

        Assert.Equal(TlsPolicy.Tls13, TlsPolicy.Read(second).Version);
        Assert.Throws<ArgumentException>(() => TlsPolicy.Write(first, "TLS_1.1"));
    }

    [Fact]
    public void Describe_NamesTheProtocolsInOrder()
    {
        Assert.Equal(["TLS 1.2", "TLS 1.3"], TlsPolicy.Describe(SslProtocols.Tls13 | SslProtocols.Tls12));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
