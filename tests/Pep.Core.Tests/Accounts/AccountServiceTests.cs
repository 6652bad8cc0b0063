using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pep.Core.Accounts;
using Pep.Core.Accounts.Stores;
using Pep.Core.Security;

namespace Pep.Core.Tests.Accounts;

public sealed class AccountServiceTests : IDisposable
{
    private const string Password = "Correct-Horse-9";
    private static readonly SigningKey StampKey = SigningKey.Generate();
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"pep-accounts-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteAccountStore _store;
    private readonly AccountService _accounts;

    public AccountServiceTests()
    {
        _store = new SqliteAccountStore(_database);
        var policy = new LockoutPolicy(FailuresBeforeSlowdown: 100, TimeSpan.Zero, FailuresBeforeLock: 3, TimeSpan.FromMinutes(15));
        _accounts = new AccountService(_store, StampKey, "AZURESTACK", policy, _time);
        Assert.True(_accounts.TryAdd(AccountName.TryParse("cloudadmin", "AZURESTACK", out _)!, Password));
    }

    [Fact]
    public async Task Authenticate_WithTheRightPassword_Succeeds()
    {
        LoginResult result = await _accounts.AuthenticateAsync(@"AZURESTACK\CloudAdmin", Password, CancellationToken.None);

        Assert.Equal(LoginOutcome.Success, result.Outcome);
        Assert.Equal("cloudadmin", result.User);
    }

    [Fact]
    public async Task Authenticate_UnknownUserAndWrongPassword_GiveTheSameAnswer()
    {
        LoginResult unknown = await _accounts.AuthenticateAsync("nobody", Password, CancellationToken.None);
        LoginResult wrong = await _accounts.AuthenticateAsync("cloudadmin", "Wrong-Password-1", CancellationToken.None);

        Assert.Equal(LoginOutcome.Refused, unknown.Outcome);
        Assert.Equal(LoginOutcome.Refused, wrong.Outcome);
        Assert.Null(wrong.User);
    }

    [Fact]
    public async Task Authenticate_AfterTooManyFailures_LocksEvenTheRightPasswordOutUntilTheLockEnds()
    {
        for (int i = 0; i < 3; i++)
        {
            await _accounts.AuthenticateAsync("cloudadmin", "Wrong-Password-1", CancellationToken.None);
        }

        LoginResult locked = await _accounts.AuthenticateAsync("cloudadmin", Password, CancellationToken.None);
        Assert.Equal(LoginOutcome.Locked, locked.Outcome);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMinutes(15), locked.LockedUntilUtc);

        _time.Advance(TimeSpan.FromMinutes(16));
        LoginResult after = await _accounts.AuthenticateAsync("cloudadmin", Password, CancellationToken.None);
        Assert.Equal(LoginOutcome.Success, after.Outcome);
    }

    [Fact]
    public async Task Authenticate_LockOnOneAccount_LeavesOtherAccountsAlone()
    {
        Assert.True(_accounts.TryAdd(AccountName.TryParse("operator2", "AZURESTACK", out _)!, Password));
        for (int i = 0; i < 3; i++)
        {
            await _accounts.AuthenticateAsync("cloudadmin", "Wrong-Password-1", CancellationToken.None);
        }

        Assert.Equal(LoginOutcome.Success, (await _accounts.AuthenticateAsync("operator2", Password, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Authenticate_RecordWrittenIntoTheStoreWithoutTheStampKey_IsNotTrusted()
    {
        using SigningKey otherKey = SigningKey.Generate();
        var forgerStore = new AccountService(_store, otherKey, "AZURESTACK", LockoutPolicy.Default, _time);
        Assert.True(forgerStore.TryAdd(AccountName.TryParse("intruder", "AZURESTACK", out _)!, Password));

        LoginResult result = await _accounts.AuthenticateAsync("intruder", Password, CancellationToken.None);

        Assert.Equal(LoginOutcome.RecordNotTrusted, result.Outcome);
    }

    [Fact]
    public async Task Authenticate_VerifierCopiedFromAnotherAccount_IsNotTrusted()
    {
        Assert.True(_accounts.TryAdd(AccountName.TryParse("victim", "AZURESTACK", out _)!, "Victim-Password-7"));
        using (var connection = new SqliteConnection($"Data Source={_database}"))
        {
            connection.Open();
            using SqliteCommand copy = connection.CreateCommand();
            copy.CommandText = "UPDATE accounts SET salt = (SELECT salt FROM accounts WHERE user = 'cloudadmin'), hash = (SELECT hash FROM accounts WHERE user = 'cloudadmin') WHERE user = 'victim';";
            copy.ExecuteNonQuery();
        }

        LoginResult result = await _accounts.AuthenticateAsync("victim", Password, CancellationToken.None);

        Assert.Equal(LoginOutcome.RecordNotTrusted, result.Outcome);
    }

    [Fact]
    public void Remove_TheLastAccount_IsRefused()
        => Assert.Equal(AccountRemoval.LastAccount, _accounts.Remove(AccountName.TryParse("cloudadmin", "AZURESTACK", out _)!));

    [Fact]
    public void TryReplacePassword_WhenTheRecordChangedSinceItWasRead_LosesNoUpdate()
    {
        AccountName name = AccountName.TryParse("cloudadmin", "AZURESTACK", out _)!;
        AccountRecord read = _accounts.Find(name)!;

        Assert.True(_accounts.TryReplacePassword(read, "First-Change-11"));
        Assert.False(_accounts.TryReplacePassword(read, "Second-Change-22"));
    }

    public void Dispose()
    {
        _store.Dispose();
        File.Delete(_database);
    }
}
