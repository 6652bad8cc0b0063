using Microsoft.Data.Sqlite;
using Pep.Core.Storage;

namespace Pep.Core.Tests.Storage;

public sealed class SqliteSettingsStoreContractTests : SettingsStoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pep-settings-").FullName;

    protected override (ISettingsStore First, ISettingsStore Second) CreateStores()
    {
        string database = Path.Combine(_directory, "accounts.db");
        return (new SqliteSettingsStore(database), new SqliteSettingsStore(database));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
