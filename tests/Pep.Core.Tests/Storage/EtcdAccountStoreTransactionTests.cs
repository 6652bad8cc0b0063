using Pep.Core.Accounts;
using Pep.Core.Accounts.Stores;
using Pep.Core.Storage;

namespace Pep.Core.Tests.Storage;

/// <summary>
/// The etcd store's transactions when another instance writes between a read and the commit that depends on
/// it: the loser must notice (compare on mod_revision), read again and decide again.
/// </summary>
public sealed class EtcdAccountStoreTransactionTests
{
    private const string Prefix = "/pep/test/";
    private static readonly AccountAttemptBudget Budget = new(3, TimeSpan.FromDays(1));
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly InMemoryVersionedKeyValue _kv = new();
    private readonly EtcdAccountStore _store;
    private readonly EtcdAccountStore _other;

    public EtcdAccountStoreTransactionTests()
    {
        _store = new EtcdAccountStore(_kv, Prefix);
        _other = new EtcdAccountStore(_kv, Prefix);
    }

    /// <summary>Runs <paramref name="interference"/> once, just before the next commit.</summary>
    private void InterfereOnce(Action interference)
        => _kv.BeforeCommit = () =>
        {
            _kv.BeforeCommit = null;
            interference();
        };

    [Fact]
    public void FailureCountedByAnotherInstanceMeanwhile_IsKept()
    {
        InterfereOnce(() => _other.RecordFailure("alice", Now, Budget));

        FailedAttempts attempts = _store.RecordFailure("alice", Now, Budget);

        Assert.Equal(2, attempts.Count);
        Assert.Equal(2, _other.GetFailedAttempts("alice")!.Count);
    }

    [Fact]
    public void ABudgetSpentByACountThatRacedAnother_IsSeenSpent()
    {
        _store.RecordFailure("alice", Now, Budget);
        InterfereOnce(() => _other.RecordFailure("alice", Now, Budget));

        FailedAttempts attempts = _store.RecordFailure("alice", Now, Budget);

        Assert.Equal(3, attempts.Count);
        Assert.True(Budget.IsSpent(_other.GetFailedAttempts("alice"), Now));
    }

    [Fact]
    public void RemovalRacingAnotherRemoval_RespectsTheLastAccountRule()
    {
        _store.TryAdd(AccountStoreContract.Record("alice"));
        _store.TryAdd(AccountStoreContract.Record("bob"));
        InterfereOnce(() => Assert.Equal(AccountRemoval.Removed, AccountStoreContract.Remove(_other, "bob")));

        Assert.Equal(AccountRemoval.LastAccount, AccountStoreContract.Remove(_store, "alice"));
        Assert.Equal(["alice"], _store.List().Where(r => !r.IsRemoved).Select(r => r.User));
    }

    [Fact]
    public void RemovalRacingAnAdd_StillRemoves()
    {
        _store.TryAdd(AccountStoreContract.Record("alice"));
        _store.TryAdd(AccountStoreContract.Record("bob"));
        InterfereOnce(() => _other.TryAdd(AccountStoreContract.Record("carol")));

        Assert.Equal(AccountRemoval.Removed, AccountStoreContract.Remove(_store, "alice"));
        Assert.Equal(["bob", "carol"], _store.List().Where(r => !r.IsRemoved).Select(r => r.User));
    }

    [Fact]
    public void PasswordChangeRacingAnother_LosesWithoutOverwriting()
    {
        AccountRecord original = AccountStoreContract.Record("alice", 1);
        _store.TryAdd(original);
        AccountRecord theirs = AccountStoreContract.Record("alice", 2);
        InterfereOnce(() => Assert.True(_other.TryReplace(theirs, original.Signature)));

        Assert.False(_store.TryReplace(AccountStoreContract.Record("alice", 3), original.Signature));
        Assert.Equal(theirs.Signature, _store.Find("alice")!.Signature);
    }

    [Fact]
    public void FailureCountingUnderConstantContention_EndsInAClearError()
    {
        // Before each of our commits another instance counts a failure too: we never win.
        bool interfering = false;
        _kv.BeforeCommit = () =>
        {
            if (!interfering)
            {
                interfering = true;
                _other.RecordFailure("alice", Now, Budget);
                interfering = false;
            }
        };

        var error = Assert.Throws<StoreUnavailableException>(() => _store.RecordFailure("alice", Now, Budget));
        Assert.Contains("kept changing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWhoseAnswerWasLost_IsRecognisedAsOursWhenRetried()
    {
        AccountRecord record = AccountStoreContract.Record("alice");
        _kv.LoseNextAnswer = true;
        Assert.Throws<InMemoryVersionedKeyValue.LostAnswerException>(() => _store.TryAdd(record));

        // The caller retries: the name is now taken, by exactly the record it wrote.
        Assert.True(_store.TryAdd(record));
        Assert.False(_store.TryAdd(AccountStoreContract.Record("alice", 2)));
    }

    [Fact]
    public void Keys_StayUnderTheDeploymentPrefix()
    {
        _store.TryAdd(AccountStoreContract.Record("alice"));
        _store.TryAdd(AccountStoreContract.Record("bob"));
        _store.RecordFailure("alice", Now, Budget);
        AccountStoreContract.Remove(_store, "bob");

        Assert.All(_kv.GetPrefix("").Select(p => p.Key), key => Assert.StartsWith(Prefix, key, StringComparison.Ordinal));
        Assert.Empty(new EtcdAccountStore(_kv, "/pep/other/").List());
    }
}
