namespace Pep.Core.Accounts;

/// <summary>
/// Where CloudAdmin accounts and their lockout counters live: shared by every instance of a deployment.
/// Records come back exactly as stored; the caller checks their signatures.
/// </summary>
public interface IAccountStore : IDisposable
{
    AccountRecord? Find(string user);

    IReadOnlyList<AccountRecord> List();

    /// <summary>Adds a new account; false when the name is taken.</summary>
    bool TryAdd(AccountRecord record);

    /// <summary>Replaces an account's record only if it still holds <paramref name="expectedSignature"/> (no lost updates).</summary>
    bool TryReplace(AccountRecord record, byte[] expectedSignature);

    /// <summary>Removes an account unless it is the last one; the check and the removal are one transaction.</summary>
    AccountRemoval TryRemove(string user);

    LoginState GetLoginState(string user);

    /// <summary>Counts one failed login and returns the new state, with the lock applied by <paramref name="policy"/>.</summary>
    LoginState RecordFailure(string user, DateTimeOffset nowUtc, LockoutPolicy policy);

    void RecordSuccess(string user);
}

public enum AccountRemoval
{
    Removed,
    NotFound,
    LastAccount,
}
