using System.Security.Cryptography;
using Pep.Core.Accounts;

namespace Pep.Core.Tests.Storage;

/// <summary>
/// What every account store must do, run against each implementation (SQLite, etcd on an in-memory double,
/// real etcd). "Two stores" are two objects over the same backing data, as two instances would hold.
/// </summary>
public abstract class AccountStoreContract
{
    private static readonly AccountAttemptBudget Budget = new(5, TimeSpan.FromDays(1));
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Two stores over the same, empty, backing data.</summary>
    protected abstract (IAccountStore First, IAccountStore Second) CreateStores();

    /// <summary>A record of version <paramref name="marker"/> with a random (unchecked) signature: stores do not check signatures.</summary>
    public static AccountRecord Record(string user, byte marker = 1)
    {
        byte[] signature = RandomNumberGenerator.GetBytes(32);
        signature[0] = marker;
        return new AccountRecord(user, marker, AccountStatus.Active, new PasswordVerifier(RandomNumberGenerator.GetBytes(16), 1, RandomNumberGenerator.GetBytes(32)), Now, Now.AddMinutes(marker), signature);
    }

    /// <summary>The tombstone that removes <paramref name="current"/>: the next version, no verifier.</summary>
    public static AccountRecord Tombstone(AccountRecord current)
        => new(current.User, current.Version + 1, AccountStatus.Removed, AccountRecord.NoVerifier, current.CreatedUtc, Now, RandomNumberGenerator.GetBytes(32));

    /// <summary>Removes <paramref name="user"/> as the account service does: a tombstone against the signature read.</summary>
    public static AccountRemoval Remove(IAccountStore store, string user)
        => store.Find(user) is { IsRemoved: false } current
            ? store.TryRemove(Tombstone(current), current.Signature)
            : store.TryRemove(Tombstone(Record(user)), new byte[32]);

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

        Assert.Equal(AccountRemoval.NotFound, Remove(second, "carol"));
        Assert.Equal(AccountRemoval.Removed, Remove(second, "bob"));
        Assert.Equal(AccountRemoval.LastAccount, Remove(first, "alice"));
        Assert.False(first.Find("alice")!.IsRemoved);
        Assert.True(first.Find("bob")!.IsRemoved);
    }

    [Fact]
    public void Removal_LeavesATombstoneOfTheNextVersion_ThatOnlyANewerRecordReplaces()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        first.TryAdd(Record("alice"));
        first.TryAdd(Record("bob", 4));

        Assert.Equal(AccountRemoval.Removed, Remove(first, "bob"));

        AccountRecord tombstone = second.Find("bob")!;
        Assert.Equal((5L, AccountStatus.Removed), (tombstone.Version, tombstone.Status));
        Assert.Equal(["alice", "bob"], second.List().Select(r => r.User));
        Assert.False(second.TryAdd(Record("bob", 5)));
        Assert.True(second.TryAdd(Record("bob", 6)));
        Assert.False(first.Find("bob")!.IsRemoved);
    }

    [Fact]
    public void Remove_AgainstARecordChangedSinceItWasRead_SaysChangedAndRemovesNothing()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        first.TryAdd(Record("alice"));
        AccountRecord read = first.Find("alice")!;
        first.TryAdd(Record("bob"));
        Assert.True(second.TryReplace(Record("alice", 2), read.Signature));

        Assert.Equal(AccountRemoval.Changed, first.TryRemove(Tombstone(read), read.Signature));
        Assert.False(first.Find("alice")!.IsRemoved);
    }

    [Fact]
    public void Remove_ForgetsTheAccountsFailedLogins()
    {
        (IAccountStore first, _) = CreateStores();
        first.TryAdd(Record("alice"));
        first.TryAdd(Record("bob"));
        first.RecordFailure("bob", Now, Budget);

        Remove(first, "bob");
        first.TryAdd(Record("bob", 3));

        Assert.Null(first.GetFailedAttempts("bob"));
    }

    [Fact]
    public void Failures_AreCountedAcrossStores_AndStartAgainWhenTheWindowHasPassed()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        for (int i = 1; i <= 5; i++)
        {
            FailedAttempts attempts = (i % 2 == 0 ? second : first).RecordFailure("alice", Now.AddHours(i), Budget);
            Assert.Equal(new FailedAttempts(i, Now.AddHours(1)), attempts);
        }

        Assert.Equal(new FailedAttempts(5, Now.AddHours(1)), second.GetFailedAttempts("alice"));
        Assert.Equal(new FailedAttempts(1, Now.AddDays(2)), first.RecordFailure("alice", Now.AddDays(2), Budget));
    }

    [Fact]
    public void Success_ClearsTheFailures()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        first.RecordFailure("alice", Now, Budget);
        second.RecordSuccess("alice");
        Assert.Null(first.GetFailedAttempts("alice"));
    }

    /// <summary>Both stores count a failure at the same moment, round after round (a barrier lines them up each time).</summary>
    [Fact]
    public async Task ConcurrentFailures_FromTwoStores_LoseNoCount()
    {
        (IAccountStore first, IAccountStore second) = CreateStores();
        const int PerStore = 15;
        using var together = new Barrier(2);
        await Task.WhenAll(
            Task.Run(() => { for (int i = 0; i < PerStore; i++) { together.SignalAndWait(); first.RecordFailure("alice", Now, Budget); } }),
            Task.Run(() => { for (int i = 0; i < PerStore; i++) { together.SignalAndWait(); second.RecordFailure("alice", Now, Budget); } }));

        Assert.Equal(2 * PerStore, first.GetFailedAttempts("alice")!.Count);
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
            // Each round's records are newer than the tombstones the last round left.
            byte version = (byte)((round * 2) + 1);
            first.TryAdd(Record("alice", version));
            first.TryAdd(Record("bob", version));
            using var start = new Barrier(2);
            AccountRemoval[] results = await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); return Remove(first, "alice"); }),
                Task.Run(() => { start.SignalAndWait(); return Remove(second, "bob"); }));

            Assert.Equal(1, results.Count(r => r == AccountRemoval.Removed));
            Assert.Equal(1, results.Count(r => r == AccountRemoval.LastAccount));
            Assert.Single(first.List(), r => !r.IsRemoved);
        }
    }
}
