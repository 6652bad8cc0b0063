using System.Security.Cryptography;
using Pep.Core.Accounts;

namespace Pep.Core.Tests.Storage;

/// <summary>
/// What every account store must do, run against each implementation (SQLite, etcd on an in-memory double,
/// real etcd). "Two stores" are two objects over the same backing data, as two instances would hold.
/// </summary>
public abstract class AccountStoreContract
{
    private static readonly LockoutPolicy Policy = new(2, TimeSpan.FromSeconds(1), 5, TimeSpan.FromMinutes(15));
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Two stores over the same, empty, backing data.</summary>
    protected abstract (IAccountStore First, IAccountStore Second) CreateStores();

    public static AccountRecord Record(string user, byte marker = 1)
    {
        byte[] signature = RandomNumberGenerator.GetBytes(32);
        signature[0] = marker;
        return new AccountRecord(user, new PasswordVerifier(RandomNumberGenerator.GetBytes(16), 1, RandomNumberGenerator.GetBytes(32)), Now, Now.AddMinutes(marker), signature);
    }

    [Fact]
    public void AddedAccount_IsFoundByTheOtherStore_ExactlyAsStored()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        AccountRecord record = Record("alice");

        Assert.True(first.TryAdd(record));

        AccountRecord found = second.Find("alice")!;
        Assert.Equal(record.User, found.User);
        Assert.Equal(record.Signature, found.Signature);
        Assert.Equal(record.Verifier.Salt, found.Verifier.Salt);
        Assert.Equal(record.Verifier.Hash, found.Verifier.Hash);
        Assert.Equal(record.Verifier.Iterations, found.Verifier.Iterations);
        Assert.Equal(record.CreatedUtc, found.CreatedUtc);
        Assert.Equal(record.PasswordChangedUtc, found.PasswordChangedUtc);
        Assert.Equal(record.SignedBytes(), found.SignedBytes());
    }

    [Fact]
    public void UnknownAccount_IsNotFound()
    {
        (IAccountStore first, _) = CreateStores();
        Assert.Null(first.Find("nobody"));
    }

    [Fact]
    public void AddingATakenName_FailsAndKeepsTheFirstRecord()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        AccountRecord original = Record("alice", 1);
        Assert.True(first.TryAdd(original));

        Assert.False(second.TryAdd(Record("alice", 2)));
        Assert.Equal(original.Signature, first.Find("alice")!.Signature);
    }

    [Fact]
    public void List_ReturnsEveryAccountOrderedByName()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        first.TryAdd(Record("carol"));
        second.TryAdd(Record("alice"));
        first.TryAdd(Record("bob"));

        Assert.Equal(["alice", "bob", "carol"], second.List().Select(r => r.User));
    }

    [Fact]
    public void Replace_SucceedsOnlyAgainstTheSignatureItRead()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        AccountRecord original = Record("alice", 1);
        first.TryAdd(original);
        AccountRecord changedByFirst = Record("alice", 2);
        AccountRecord changedBySecond = Record("alice", 3);

        Assert.True(first.TryReplace(changedByFirst, original.Signature));
        Assert.False(second.TryReplace(changedBySecond, original.Signature));
        Assert.Equal(changedByFirst.Signature, second.Find("alice")!.Signature);
    }

    [Fact]
    public void Replace_OfAMissingAccount_Fails()
    {
        (IAccountStore first, _) = CreateStores();
        Assert.False(first.TryReplace(Record("ghost"), new byte[32]));
        Assert.Null(first.Find("ghost"));
    }

    [Fact]
    public void Remove_RefusesTheLastAccount_AndSaysWhenNotFound()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        first.TryAdd(Record("alice"));
        first.TryAdd(Record("bob"));

        Assert.Equal(AccountRemoval.NotFound, second.TryRemove("carol"));
        Assert.Equal(AccountRemoval.Removed, second.TryRemove("bob"));
        Assert.Equal(AccountRemoval.LastAccount, first.TryRemove("alice"));
        Assert.NotNull(first.Find("alice"));
        Assert.Null(first.Find("bob"));
    }

    [Fact]
    public void Remove_ForgetsTheAccountsFailedLogins()
    {
        (IAccountStore first, _) = CreateStores();
        first.TryAdd(Record("alice"));
        first.TryAdd(Record("bob"));
        first.RecordFailure("bob", Now, Policy);

        first.TryRemove("bob");
        first.TryAdd(Record("bob"));

        Assert.Equal(LoginState.Clean, first.GetLoginState("bob"));
    }

    [Fact]
    public void Failures_AreCountedAcrossStores_AndLockAtTheLimit()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        for (int i = 1; i <= 4; i++)
        {
            LoginState state = (i % 2 == 0 ? second : first).RecordFailure("alice", Now, Policy);
            Assert.Equal(i, state.ConsecutiveFailures);
            Assert.Null(state.LockedUntilUtc);
        }

        LoginState locked = first.RecordFailure("alice", Now, Policy);
        Assert.Equal(Now + Policy.LockDuration, locked.LockedUntilUtc);
        Assert.Equal(locked, second.GetLoginState("alice"));
    }

    [Fact]
    public void Success_ClearsTheFailures()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        first.RecordFailure("alice", Now, Policy);
        second.RecordSuccess("alice");
        Assert.Equal(LoginState.Clean, first.GetLoginState("alice"));
    }

    [Fact]
    public async Task ConcurrentFailures_FromTwoStores_LoseNoCount()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        const int PerStore = 15;
        await Task.WhenAll(
            Task.Run(() => { for (int i = 0; i < PerStore; i++) { first.RecordFailure("alice", Now, Policy); } }),
            Task.Run(() => { for (int i = 0; i < PerStore; i++) { second.RecordFailure("alice", Now, Policy); } }));

        Assert.Equal(2 * PerStore, first.GetLoginState("alice").ConsecutiveFailures);
    }

    [Fact]
    public async Task ConcurrentAdds_OfOneName_HaveExactlyOneWinner()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        for (int round = 0; round < 10; round++)
        {
            string user = $"user{round}";
            AccountRecord a = Record(user, 1), b = Record(user, 2);
            using var start = new Barrier(2);
            bool[] results = await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); return first.TryAdd(a); }),
                Task.Run(() => { start.SignalAndWait(); return second.TryAdd(b); }));

            Assert.Equal(1, results.Count(r => r));
            byte[] winner = results[0] ? a.Signature : b.Signature;
            Assert.Equal(winner, first.Find(user)!.Signature);
        }
    }

    [Fact]
    public async Task ConcurrentRemovals_OfTheLastTwoAccounts_LeaveOne()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        for (int round = 0; round < 5; round++)
        {
            first.TryAdd(Record("alice"));
            first.TryAdd(Record("bob"));
            using var start = new Barrier(2);
            AccountRemoval[] results = await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); return first.TryRemove("alice"); }),
                Task.Run(() => { start.SignalAndWait(); return second.TryRemove("bob"); }));

            Assert.Equal(1, results.Count(r => r == AccountRemoval.Removed));
            Assert.Equal(1, results.Count(r => r == AccountRemoval.LastAccount));
            Assert.Single(first.List());
        }
    }
}
