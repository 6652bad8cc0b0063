namespace Pep.Core.Accounts;

/// <summary>
/// Where CloudAdmin accounts and their failed-login counts live: shared by every instance of a deployment.
/// Records come back exactly as stored, tombstones of removed accounts included; the caller checks their
/// signatures and versions.
/// </summary>
public interface IAccountStore : IDisposable
{
    /// <summary>The stored record, a tombstone included; null when the name never had an account.</summary>
    AccountRecord? Find(string user);

    /// <summary>Every stored record, tombstones included, ordered by name.</summary>
    IReadOnlyList<AccountRecord> List();

    /// <summary>Adds an account where there is none, or replaces a tombstone of a lower version; false when the name is taken.</summary>
    bool TryAdd(AccountRecord record);

    /// <summary>Replaces an account's record only if it still holds <paramref name="expectedSignature"/> (no lost updates).</summary>
    bool TryReplace(AccountRecord record, byte[] expectedSignature);

    /// <summary>
    /// Replaces an account's record, if it still holds <paramref name="expectedSignature"/>, with its
    /// <paramref name="tombstone"/>, unless it is the last account; the check and the change are one transaction.
    /// </summary>
    AccountRemoval TryRemove(AccountRecord tombstone, byte[] expectedSignature);

    FailedAttempts? GetFailedAttempts(string user);

    /// <summary>Counts one failed login against the account, as <paramref name="budget"/> counts them, and returns the new count.</summary>
    FailedAttempts RecordFailure(string user, DateTimeOffset nowUtc, AccountAttemptBudget budget);

    /// <summary>A successful login: the account's failures are forgotten (NIST counts consecutive failures).</summary>
    void RecordSuccess(string user);
}

public enum AccountRemoval
{
    Removed,
    NotFound,
    LastAccount,
    /// <summary>The record changed since it was read; read it again.</summary>
    Changed,
}
