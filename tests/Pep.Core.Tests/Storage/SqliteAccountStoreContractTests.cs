using Pep.Core.Accounts;
using Pep.Core.Accounts.Stores;

namespace Pep.Core.Tests.Storage;

public sealed class SqliteAccountStoreContractTests : AccountStoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pep-store-").FullName;
    private readonly List<IDisposable> _stores = [];

    protected override (IAccountStore First, IAccountStore Second) CreateStores()
    {
        string database = Path.Combine(_directory, "accounts.db");
        var first = new SqliteAccountStore(database);
        var second = new SqliteAccountStore(database);
        _stores.Add(first);
        _stores.Add(second);
        return (first, second);
    }

    public void Dispose()
    {
        _stores.ForEach(s => s.Dispose());
        Directory.Delete(_directory, recursive: true);
    }
}
