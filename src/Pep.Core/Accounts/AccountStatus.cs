namespace Pep.Core.Accounts;

/// <summary>
/// What an account record says about its account. Signed with the record, so that nobody without the stamp
/// key can lift an administrator's lock or bring a removed account back by editing the store.
/// </summary>
public enum AccountStatus
{
    Active = 0,

    /// <summary>Set by an administrator (<c>pep account lock</c>); only an administrator lifts it.</summary>
    LockedByAdministrator = 1,

    /// <summary>A tombstone: the account was removed. It stays in the store so that its last version is known.</summary>
    Removed = 2,
}
