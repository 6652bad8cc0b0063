using System.Text.Json;
using Pep.Core.Storage;

namespace Pep.Core.Accounts.Stores;

/// <summary>
/// CloudAdmin accounts and failed-login counts on etcd, shared by instances on several hosts. Keys under the
/// deployment's prefix:
/// <list type="bullet">
/// <item><c>accounts/&lt;user&gt;</c>: the signed record (JSON), or the signed tombstone of a removed account;</item>
/// <item><c>failed-logins/&lt;user&gt;</c>: failed logins in the current window of the account's budget;</item>
/// <item><c>account-set</c>: rewritten by every removal, so that a removal can check that no other removal
/// shrank the set between its count and its change (the last-account rule across instances).</item>
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
        _logins = prefix + "failed-logins/";
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
        return OptimisticRetry.Run<bool>("adding an account", () =>
        {
            VersionedValue? current = _kv.Get(key);
            if (current is not null)
            {
                AccountRecord stored = Read(current.Value);
                if (!stored.IsRemoved || stored.Version >= record.Version)
                {
                    // Taken, or our own write applied though its answer was lost and the call was retried: only
                    // the second is success.
                    return current.Value.AsSpan().SequenceEqual(value);
                }
            }

            return _kv.Commit([new RevisionCondition(key, current?.ModRevision ?? 0)], [KeyWrite.Put(key, value)]) ? true : null;
        });
    }

    public bool TryReplace(AccountRecord record, byte[] expectedSignature)
    {
        string key = _accounts + record.User;
        byte[] value = AccountRecordJson.Serialize(record);
        return OptimisticRetry.Run<bool>("a change of an account", () =>
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

    public AccountRemoval TryRemove(AccountRecord tombstone, byte[] expectedSignature)
    {
        string key = _accounts + tombstone.User;
        byte[] value = AccountRecordJson.Serialize(tombstone);
        return OptimisticRetry.Run<AccountRemoval>("an account removal", () =>
        {
            // The marker is read first: any removal that commits after this read rewrites it, and then our
            // commit below fails and we count again.
            long setRevision = _kv.Get(_accountSet)?.ModRevision ?? 0;
            List<(string Key, VersionedValue Stored, AccountRecord Record)> live = [.. _kv.GetPrefix(_accounts)
                .Select(pair => (pair.Key, pair.Value, Read(pair.Value.Value)))
                .Where(entry => !entry.Item3.IsRemoved)];
            (string Key, VersionedValue Stored, AccountRecord Record) target = live.FirstOrDefault(entry => entry.Key == key);
            if (target.Record is null)
            {
                // Our own tombstone, applied though the answer was lost and the call retried, is success.
                return _kv.Get(key) is { } stored && stored.Value.AsSpan().SequenceEqual(value) ? AccountRemoval.Removed : AccountRemoval.NotFound;
            }

            if (!target.Record.Signature.AsSpan().SequenceEqual(expectedSignature))
            {
                return AccountRemoval.Changed;
            }

            if (live.Count <= 1)
            {
                return AccountRemoval.LastAccount;
            }

            bool removed = _kv.Commit(
                [new RevisionCondition(_accountSet, setRevision), new RevisionCondition(key, target.Stored.ModRevision)],
                [KeyWrite.Put(key, value), KeyWrite.Delete(_logins + tombstone.User), KeyWrite.Put(_accountSet, [])]);
            return removed ? AccountRemoval.Removed : null;
        });
    }

    public FailedAttempts? GetFailedAttempts(string user)
        => _kv.Get(_logins + user) is { } found ? ReadFailedAttempts(found.Value) : null;

    public FailedAttempts RecordFailure(string user, DateTimeOffset nowUtc, AccountAttemptBudget budget)
    {
        string key = _logins + user;
        return OptimisticRetry.Run<CountResult>("counting a failed login", () =>
        {
            VersionedValue? current = _kv.Get(key);
            FailedAttempts next = budget.AfterFailure(current is null ? null : ReadFailedAttempts(current.Value), nowUtc);
            return _kv.Commit([new RevisionCondition(key, current?.ModRevision ?? 0)], [KeyWrite.Put(key, AccountRecordJson.Serialize(next))])
                ? new CountResult(next)
                : null;
        }).Attempts;
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

    private static FailedAttempts ReadFailedAttempts(byte[] value)
    {
        try
        {
            return AccountRecordJson.DeserializeFailedAttempts(value);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("A failed-login count in etcd is not readable.", e);
        }
    }

    /// <summary>A struct around the count, so that "no result yet" can be null in the retry loop.</summary>
    private readonly record struct CountResult(FailedAttempts Attempts);
}
