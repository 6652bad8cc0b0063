using System.Text.Json;
using Pep.Core.Storage;

namespace Pep.Core.Accounts.Stores;

/// <summary>
/// CloudAdmin accounts and lockout counters on etcd, shared by instances on several hosts. Keys under the
/// deployment's prefix:
/// <list type="bullet">
/// <item><c>accounts/&lt;user&gt;</c>: the signed record (JSON);</item>
/// <item><c>login/&lt;user&gt;</c>: consecutive failures and the lock they earned;</item>
/// <item><c>account-set</c>: rewritten by every removal, so that a removal can check that no other removal
/// shrank the set between its count and its delete (the last-account rule across instances).</item>
/// </list>
/// Every change is a transaction that compares the mod_revision of what it read: two instances never both
/// win, and no update is lost; the loser reads again and decides again.
/// </summary>
public sealed class EtcdAccountStore : IAccountStore
{
    private readonly IVersionedKeyValue _kv;
    private readonly string _accounts;
    private readonly string _logins;
    private readonly string _accountSet;

    public EtcdAccountStore(EtcdKeyValue connection, string prefix) : this((IVersionedKeyValue)connection, prefix) { }

    internal EtcdAccountStore(IVersionedKeyValue kv, string prefix)
    {
        _kv = kv;
        _accounts = prefix + "accounts/";
        _logins = prefix + "login/";
        _accountSet = prefix + "account-set";
    }

    public AccountRecord? Find(string user)
        => _kv.Get(_accounts + user) is { } found ? Read(found.Value) : null;

    public IReadOnlyList<AccountRecord> List()
        => _kv.GetPrefix(_accounts).Select(pair => Read(pair.Value.Value)).OrderBy(r => r.User, StringComparer.Ordinal).ToList();

    public bool TryAdd(AccountRecord record)
    {
        string key = _accounts + record.User;
        byte[] value = AccountRecordJson.Serialize(record);
        if (_kv.Commit([new RevisionCondition(key, 0)], [KeyWrite.Put(key, value)]))
        {
            return true;
        }

        // Taken, or our own write applied though its answer was lost and the call was retried: only the
        // second is success.
        return _kv.Get(key) is { } stored && stored.Value.AsSpan().SequenceEqual(value);
    }

    public bool TryReplace(AccountRecord record, byte[] expectedSignature)
    {
        string key = _accounts + record.User;
        byte[] value = AccountRecordJson.Serialize(record);
        return OptimisticRetry.Run<bool>("a password change", () =>
        {
            if (_kv.Get(key) is not { } current)
            {
                return false;
            }

            AccountRecord stored = Read(current.Value);
            if (!stored.Signature.AsSpan().SequenceEqual(expectedSignature))
            {
                return current.Value.AsSpan().SequenceEqual(value);
            }

            return _kv.Commit([new RevisionCondition(key, current.ModRevision)], [KeyWrite.Put(key, value)]) ? true : null;
        });
    }

    public AccountRemoval TryRemove(string user)
    {
        string key = _accounts + user;
        return OptimisticRetry.Run<AccountRemoval>("an account removal", () =>
        {
            // The marker is read first: any removal that commits after this read rewrites it, and then our
            // commit below fails and we count again.
            long setRevision = _kv.Get(_accountSet)?.ModRevision ?? 0;
            IReadOnlyList<KeyValuePair<string, VersionedValue>> accounts = _kv.GetPrefix(_accounts);
            VersionedValue? target = accounts.FirstOrDefault(pair => pair.Key == key).Value;
            if (target is null)
            {
                return AccountRemoval.NotFound;
            }

            if (accounts.Count <= 1)
            {
                return AccountRemoval.LastAccount;
            }

            bool removed = _kv.Commit(
                [new RevisionCondition(_accountSet, setRevision), new RevisionCondition(key, target.ModRevision)],
                [KeyWrite.Delete(key), KeyWrite.Delete(_logins + user), KeyWrite.Put(_accountSet, [])]);
            return removed ? AccountRemoval.Removed : null;
        });
    }

    public LoginState GetLoginState(string user)
        => _kv.Get(_logins + user) is { } found ? ReadLoginState(found.Value) : LoginState.Clean;

    public LoginState RecordFailure(string user, DateTimeOffset nowUtc, LockoutPolicy policy)
    {
        string key = _logins + user;
        return OptimisticRetry.Run<LoginStateResult>("counting a failed login", () =>
        {
            VersionedValue? current = _kv.Get(key);
            LoginState state = current is null ? LoginState.Clean : ReadLoginState(current.Value);
            int failures = state.ConsecutiveFailures + 1;
            var next = new LoginState(failures, policy.LockAfter(failures, nowUtc) ?? state.LockedUntilUtc);
            return _kv.Commit([new RevisionCondition(key, current?.ModRevision ?? 0)], [KeyWrite.Put(key, AccountRecordJson.Serialize(next))])
                ? new LoginStateResult(next)
                : null;
        }).State;
    }

    public void RecordSuccess(string user) => _kv.Commit([], [KeyWrite.Delete(_logins + user)]);

    /// <summary>The connection belongs to whoever opened it (<see cref="SharedState"/>).</summary>
    public void Dispose() { }

    private static AccountRecord Read(byte[] value)
    {
        try
        {
            return AccountRecordJson.Deserialize(value);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("An account record in etcd is not readable.", e);
        }
    }

    private static LoginState ReadLoginState(byte[] value)
    {
        try
        {
            return AccountRecordJson.DeserializeLoginState(value);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("A login state in etcd is not readable.", e);
        }
    }

    /// <summary>A struct around the state, so that "no result yet" can be null in the retry loop.</summary>
    private readonly record struct LoginStateResult(LoginState State);
}
