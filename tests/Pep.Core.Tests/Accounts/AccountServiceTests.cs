using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pep.Core.Accounts;
using Pep.Core.Accounts.Stores;
using Pep.Core.Security;

namespace Pep.Core.Tests.Accounts;

public sealed class AccountServiceTests : IDisposable
{
    private const string Password = "Correct-Horse-9";
    private const string Operator = "10.0.0.7";
    private const string Stranger = "10.0.0.66";
    private static readonly SigningKey StampKey = SigningKey.Generate();
    private static readonly AccountAttemptBudget Budget = new(3, TimeSpan.FromDays(30));
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"pep-accounts-{Guid.NewGuid():N}.db");
    private readonly string _floorFile = Path.Combine(Path.GetTempPath(), $"pep-floor-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly SqliteAccountStore _store;
    private readonly AccountService _accounts;

    public AccountServiceTests()
    {
        _store = new SqliteAccountStore(_database);
        _accounts = NewInstance();
        Assert.True(_accounts.TryAdd(Name("cloudadmin"), Password));
    }

    [Fact]
    public void Authenticate_WithTheRightPassword_Succeeds()
    {
        LoginResult result = _accounts.Authenticate(@"AZURESTACK\CloudAdmin", Password, Operator);

        Assert.Equal(LoginOutcome.Success, result.Outcome);
        Assert.Equal("cloudadmin", result.User);
    }

    [Fact]
    public void Authenticate_UnknownUserAndWrongPassword_GiveTheSameAnswer()
    {
        LoginResult unknown = _accounts.Authenticate("nobody", Password, Stranger);
        LoginResult wrong = _accounts.Authenticate("cloudadmin", "Wrong-Password-1", Stranger);

        Assert.Equal(LoginResult.Refused, unknown);
        Assert.Equal(LoginResult.Refused, wrong);
    }

    [Fact]
    public void Authenticate_WhenTheAccountsBudgetIsSpent_ChecksNoPasswordFromNewSources_ButLetsKnownSourcesIn()
    {
        Assert.Equal(LoginOutcome.Success, _accounts.Authenticate("cloudadmin", Password, Operator).Outcome);
        for (int i = 0; i < Budget.Capacity; i++)
        {
            Assert.Equal(LoginResult.Refused, _accounts.Authenticate("cloudadmin", "Wrong-Password-1", Stranger));
        }

        // Guessing stops: even the right password from a source that never logged in is not checked...
        Assert.Equal(LoginOutcome.AttemptBudgetSpent, _accounts.Authenticate("cloudadmin", Password, Stranger).Outcome);
        // ...but the stranger locked nobody out: the operator's own address still gets in.
        Assert.Equal(LoginOutcome.Success, _accounts.Authenticate("cloudadmin", Password, Operator).Outcome);
    }

    [Fact]
    public void Authenticate_AfterTheBudgetsWindow_ChecksPasswordsFromAnySourceAgain()
    {
        for (int i = 0; i < Budget.Capacity; i++)
        {
            _accounts.Authenticate("cloudadmin", "Wrong-Password-1", Stranger);
        }

        _time.Advance(Budget.Window);

        Assert.Equal(LoginOutcome.Success, _accounts.Authenticate("cloudadmin", Password, Stranger).Outcome);
    }

    [Fact]
    public void Authenticate_AnAccountLockedByAnAdministrator_IsRefusedUntilUnlocked()
    {
        Assert.True(_accounts.TrySetStatus(Name("cloudadmin"), AccountStatus.LockedByAdministrator));
        Assert.Equal(LoginOutcome.LockedByAdministrator, _accounts.Authenticate("cloudadmin", Password, Operator).Outcome);

        Assert.True(_accounts.TrySetStatus(Name("cloudadmin"), AccountStatus.Active));
        Assert.Equal(LoginOutcome.Success, _accounts.Authenticate("cloudadmin", Password, Operator).Outcome);
    }

    [Fact]
    public void Authenticate_RecordWrittenIntoTheStoreWithoutTheStampKey_IsNotTrusted()
    {
        using SigningKey otherKey = SigningKey.Generate();
        var forgerStore = new AccountService(_store, otherKey, "AZURESTACK", Budget, null, _time);
        Assert.True(forgerStore.TryAdd(Name("intruder"), Password));

        LoginResult result = _accounts.Authenticate("intruder", Password, Stranger);

        Assert.Equal(LoginOutcome.RecordNotTrusted, result.Outcome);
    }

    [Fact]
    public void Authenticate_VerifierCopiedFromAnotherAccount_IsNotTrusted()
    {
        Assert.True(_accounts.TryAdd(Name("victim"), "Victim-Password-7"));
        using (var connection = new SqliteConnection($"Data Source={_database}"))
        {
            connection.Open();
            using SqliteCommand copy = connection.CreateCommand();
            copy.CommandText = "UPDATE accounts SET salt = (SELECT salt FROM accounts WHERE user = 'cloudadmin'), hash = (SELECT hash FROM accounts WHERE user = 'cloudadmin') WHERE user = 'victim';";
            copy.ExecuteNonQuery();
        }

        LoginResult result = _accounts.Authenticate("victim", Password, Stranger);

        Assert.Equal(LoginOutcome.RecordNotTrusted, result.Outcome);
    }

    [Fact]
    public void Authenticate_AnOldPasswordRecordWrittenBack_IsRefusedAsReplayed_EvenByAnInstanceStartedAfterwards()
    {
        AccountRecord old = _accounts.Find(Name("cloudadmin"))!;
        Assert.Equal(LoginOutcome.Success, _accounts.Authenticate("cloudadmin", Password, Operator).Outcome);
        Assert.True(_accounts.TryReplacePassword(old, "New-Password-22"));
        Assert.Equal(LoginOutcome.Success, _accounts.Authenticate("cloudadmin", "New-Password-22", Operator).Outcome);

        WriteBack(old);

        Assert.Equal(LoginOutcome.RecordReplayed, _accounts.Authenticate("cloudadmin", Password, Operator).Outcome);
        Assert.Equal(LoginOutcome.RecordReplayed, NewInstance().Authenticate("cloudadmin", Password, Operator).Outcome);
    }

    [Fact]
    public void Authenticate_AnOldRecordWrittenBackRightAfterAChangeThroughThisInstance_IsRefusedBeforeAnyLogin()
    {
        AccountRecord old = _accounts.Find(Name("cloudadmin"))!;
        Assert.True(_accounts.TryReplacePassword(old, "New-Password-22"));

        WriteBack(old);

        Assert.Equal(LoginOutcome.RecordReplayed, _accounts.Authenticate("cloudadmin", Password, Operator).Outcome);
    }

    [Fact]
    public void Authenticate_ARemovedAccountsRecordWrittenBack_IsRefusedAsReplayed()
    {
        Assert.True(_accounts.TryAdd(Name("leaver"), "Leaver-Password-3"));
        AccountRecord saved = _accounts.Find(Name("leaver"))!;
        Assert.Equal(AccountRemoval.Removed, _accounts.Remove(Name("leaver")));
        Assert.Equal(LoginResult.Refused, _accounts.Authenticate("leaver", "Leaver-Password-3", Operator));

        WriteBack(saved);

        Assert.Equal(LoginOutcome.RecordReplayed, _accounts.Authenticate("leaver", "Leaver-Password-3", Operator).Outcome);
    }

    [Fact]
    public void Authenticate_ARecordOlderThanTheStoreHeldAtStart_IsRefusedWithoutAnyLoginInBetween()
    {
        AccountRecord old = _accounts.Find(Name("cloudadmin"))!;
        Assert.True(_accounts.TryReplacePassword(old, "New-Password-22"));
        AccountService restarted = NewInstance();
        restarted.ObserveStore();

        WriteBack(old);

        Assert.Equal(LoginOutcome.RecordReplayed, restarted.Authenticate("cloudadmin", Password, Operator).Outcome);
    }

    [Fact]
    public void TryAdd_AfterARemoval_NumbersTheNewRecordAboveTheTombstone_AndItLogsIn()
    {
        Assert.True(_accounts.TryAdd(Name("again"), "First-Password-1"));
        Assert.Equal(AccountRemoval.Removed, _accounts.Remove(Name("again")));
        long tombstone = _store.Find("again")!.Version;

        Assert.True(_accounts.TryAdd(Name("again"), "Second-Password-2"));

        Assert.Equal(tombstone + 1, _accounts.Find(Name("again"))!.Version);
        Assert.Equal(LoginOutcome.Success, _accounts.Authenticate("again", "Second-Password-2", Operator).Outcome);
    }

    [Fact]
    public void Remove_TheLastAccount_IsRefused()
        => Assert.Equal(AccountRemoval.LastAccount, _accounts.Remove(Name("cloudadmin")));

    [Fact]
    public void TryReplacePassword_WhenTheRecordChangedSinceItWasRead_LosesNoUpdate()
    {
        AccountRecord read = _accounts.Find(Name("cloudadmin"))!;

        Assert.True(_accounts.TryReplacePassword(read, "First-Change-11"));
        Assert.False(_accounts.TryReplacePassword(read, "Second-Change-22"));
    }

    [Fact]
    public void FindLoginKeys_GivesTheKeysAdded_SignedWithTheRecord_AndKeepsThemThroughAPasswordChange()
    {
        SshPublicKey key = SshPublicKey.TryParse(SshKeyLines.Ed25519(), out _)!;
        Assert.True(_accounts.TrySetSshKeys(Name("cloudadmin"), keys => [.. keys, key]));
        Assert.True(_accounts.TryReplacePassword(_accounts.Find(Name("cloudadmin"))!, "New-Password-22"));

        KeyLogin login = NewInstance().FindLoginKeys(@"AZURESTACK\cloudadmin");

        Assert.Equal(LoginOutcome.Success, login.Outcome);
        Assert.Equal(key.KeyText, Assert.Single(login.Keys).KeyText);
        Assert.True(_accounts.IsTrusted(_store.Find("cloudadmin")!));
    }

    [Fact]
    public void FindLoginKeys_ForALockedUnknownOrRemovedAccount_GivesNoKey()
    {
        SshPublicKey key = SshPublicKey.TryParse(SshKeyLines.Ed25519(), out _)!;
        Assert.True(_accounts.TryAdd(Name("leaver"), "Leaver-Password-3"));
        Assert.True(_accounts.TrySetSshKeys(Name("leaver"), _ => [key]));
        Assert.True(_accounts.TrySetSshKeys(Name("cloudadmin"), _ => [key]));
        Assert.True(_accounts.TrySetStatus(Name("cloudadmin"), AccountStatus.LockedByAdministrator));
        Assert.Equal(AccountRemoval.Removed, _accounts.Remove(Name("leaver")));

        Assert.Empty(_accounts.FindLoginKeys("cloudadmin").Keys);
        Assert.Equal(LoginOutcome.LockedByAdministrator, _accounts.FindLoginKeys("cloudadmin").Outcome);
        Assert.Empty(_accounts.FindLoginKeys("leaver").Keys);
        Assert.Empty(_accounts.FindLoginKeys("nobody").Keys);
    }

    [Fact]
    public void FindLoginKeys_AKeyWrittenIntoTheStoreWithoutTheStampKey_IsNotTrusted()
    {
        using (var connection = new SqliteConnection($"Data Source={_database}"))
        {
            connection.Open();
            using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = "UPDATE accounts SET ssh_keys = $key WHERE user = 'cloudadmin';";
            insert.Parameters.AddWithValue("$key", SshKeyLines.Ed25519());
            insert.ExecuteNonQuery();
        }

        KeyLogin login = _accounts.FindLoginKeys("cloudadmin");

        Assert.Equal(LoginOutcome.RecordNotTrusted, login.Outcome);
        Assert.Empty(login.Keys);
    }

    [Fact]
    public void ARecordWithoutKeys_SignsTheSameBytesAsBeforeKeysExisted_SoOldRecordsStillVerify()
    {
        AccountRecord record = _accounts.Find(Name("cloudadmin"))!;

        Assert.StartsWith("pep-account-v2\n", System.Text.Encoding.UTF8.GetString(record.SignedBytes()), StringComparison.Ordinal);
        Assert.Equal(AccountRecord.SignedBytes(record.User, record.Version, record.Status, record.Verifier, record.CreatedUtc, record.PasswordChangedUtc), record.SignedBytes());
    }

    public void Dispose()
    {
        _store.Dispose();
        File.Delete(_database);
        File.Delete(_floorFile);
    }

    /// <summary>Another service over the same store and the same instance state, as after a restart.</summary>
    private AccountService NewInstance() => new(_store, StampKey, "AZURESTACK", Budget, new AccountVersionFloor(_floorFile), _time);

    /// <summary>What anyone with write access to the store can do without the key: put a saved record back.</summary>
    private void WriteBack(AccountRecord saved)
        => Assert.True(_store.TryReplace(saved, _store.Find(saved.User)!.Signature));

    private static AccountName Name(string user) => AccountName.TryParse(user, "AZURESTACK", out _)!;
}
