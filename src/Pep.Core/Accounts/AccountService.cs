using Pep.Core.Security;

namespace Pep.Core.Accounts;

/// <summary>
/// CloudAdmin accounts: login, and the changes the account cmdlets make. Records are signed with the stamp
/// key when written and checked against the locally stored public key when read, and against the highest
/// version this instance has seen (<see cref="AccountVersionFloor"/>), so that neither a forged nor a
/// replayed record logs in. Failed logins count against the account's <see cref="AccountAttemptBudget"/>;
/// nothing a stranger does locks the account (the source is slowed and blocked by the gateway).
/// </summary>
public sealed class AccountService
{
    private const int ChangeAttempts = 5;
    private readonly IAccountStore _store;
    private readonly SigningKey _stampKey;
    private readonly AccountAttemptBudget _budget;
    private readonly AccountVersionFloor? _floor;
    private readonly TimeProvider _time;
    private readonly KnownLoginSources _knownSources;
    private readonly ReloginTickets? _tickets;

    /// <summary>
    /// <paramref name="floor"/> is the instance's record of versions seen; null only where no login is checked (pep init, pep account).
    /// <paramref name="tickets"/>: the instance's re-login tickets, used by logins that present a <see cref="ReloginAttempt"/>; null: none.
    /// </summary>
    public AccountService(IAccountStore store, SigningKey stampKey, string domain, AccountAttemptBudget budget, AccountVersionFloor? floor, TimeProvider time, ReloginTickets? tickets = null)
    {
        _tickets = tickets;
        _store = store;
        _stampKey = stampKey;
        Domain = domain;
        _budget = budget;
        _floor = floor;
        _time = time;
        _knownSources = new KnownLoginSources(budget.Window);
    }

    /// <summary>The stamp's NetBIOS domain: account names may be written <c>DOMAIN\user</c>.</summary>
    public string Domain { get; }

    /// <summary>
    /// Checks a login. Every path that refuses spends one password verification, so that the time taken
    /// says nothing about whether the account exists or why it was refused.
    /// <paramref name="source"/> is who is trying (the gateway passes the client's address), for the budget's exemption of known sources.
    /// </summary>
    public LoginResult Authenticate(string userText, string password, string? source) => Authenticate(userText, password, source, relogin: null);

    /// <summary>
    /// Checks a login as <see cref="Authenticate(string, string, string?)"/> does, for a door that hands out re-login tickets
    /// (<see cref="ReloginTickets"/>) when <paramref name="relogin"/> is given. A ticket it presents is spent whatever comes of
    /// it; only after every check a login without one gets (the record's signature and version, removal, lock, the account's
    /// budget) does it stand in for the password verifier, and only when it fits the account, the address, the unchanged
    /// record and the password. Any other ticket leaves the login to the verifier, so the answer is the one it would get
    /// without a ticket. A successful login gets a new ticket (<see cref="LoginResult.IssuedTicket"/>) while tickets are on.
    /// </summary>
    public LoginResult Authenticate(string userText, string password, string? source, ReloginAttempt? relogin)
    {
        AccountName? name = AccountName.TryParse(userText, Domain, out _);
        AccountRecord? record = name is null ? null : _store.Find(name.User);
        if (name is null || record is null)
        {
            return RefuseAfterDecoy(password, LoginResult.Refused with { Relogin = SpendTicket(relogin, name, record, password: null) });
        }

        LoginOutcome? refusal = CheckRecord(record);
        if (refusal is null && record.Status == AccountStatus.Removed)
        {
            return RefuseAfterDecoy(password, LoginResult.Refused with { Relogin = SpendTicket(relogin, name, record, password: null) });
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (refusal is null && record.Status == AccountStatus.LockedByAdministrator)
        {
            refusal = LoginOutcome.LockedByAdministrator;
        }

        bool knownSource = source is not null && _knownSources.Contains(name.User, source, now);
        if (refusal is null && !knownSource && _budget.IsSpent(_store.GetFailedAttempts(name.User), now))
        {
            refusal = LoginOutcome.AttemptBudgetSpent;
        }

        if (refusal is { } outcome)
        {
            return RefuseAfterDecoy(password, new LoginResult(outcome, name.User) { Relogin = SpendTicket(relogin, name, record, password: null) });
        }

        ReloginTicketOutcome ticket = SpendTicket(relogin, name, record, password);
        if (ticket == ReloginTicketOutcome.Accepted || PasswordHasher.Verify(password, record.Verifier))
        {
            _store.RecordSuccess(name.User);
            if (source is not null)
            {
                _knownSources.Add(name.User, source, now);
            }

            return new LoginResult(LoginOutcome.Success, name.User)
            {
                Relogin = ticket,
                IssuedTicket = relogin is not null && _tickets is { Enabled: true } tickets ? tickets.Issue(record, relogin.ClientAddress, password) : null,
            };
        }

        _store.RecordFailure(name.User, now, _budget);
        return LoginResult.Refused with { Relogin = ticket };
    }

    /// <summary>The presented ticket, spent and judged (<see cref="ReloginTickets.Redeem"/>); null <paramref name="password"/>: the account may not log in now.</summary>
    private ReloginTicketOutcome SpendTicket(ReloginAttempt? relogin, AccountName? name, AccountRecord? record, string? password)
    {
        if (relogin?.PresentedTicket is not { } presented)
        {
            return ReloginTicketOutcome.None;
        }

        return _tickets is null ? ReloginTicketOutcome.Unknown : _tickets.Redeem(presented, name?.User, relogin.ClientAddress, record, password);
    }

    /// <summary>Raises this instance's floor to every trusted record in the store (at start), so that a record written back while the instance was down is refused too.</summary>
    public void ObserveStore()
    {
        foreach (AccountRecord record in _store.List())
        {
            CheckRecord(record);
        }
    }

    /// <summary>True when the record was signed by the stamp key.</summary>
    public bool IsTrusted(AccountRecord record) => _stampKey.Verify(record.SignedBytes(), record.Signature);

    /// <summary>Adds an account (again, after a removal: its version follows the tombstone's). The caller has checked the password policy.</summary>
    public bool TryAdd(AccountName name, ReadOnlySpan<char> password)
    {
        AccountRecord? existing = _store.Find(name.User);
        if (existing is { IsRemoved: false })
        {
            return false;
        }

        DateTimeOffset now = _time.GetUtcNow();
        return Written(_store.TryAdd, Sign(name.User, NextVersion(name.User, existing), AccountStatus.Active, PasswordHasher.Create(password), now, now));
    }

    /// <summary>Sets a new password, only if the record did not change since it was read.</summary>
    public bool TryReplacePassword(AccountRecord current, ReadOnlySpan<char> newPassword)
        => TryReplaceVerifier(current, PasswordHasher.Create(newPassword));

    /// <summary>
    /// Sets a verifier derived earlier (a password recovery commits to it before the support authority answers), only if
    /// the record did not change since it was read. Status and SSH keys stay.
    /// </summary>
    public bool TryReplaceVerifier(AccountRecord current, PasswordVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(current);
        AccountRecord replacement = Sign(current.User, NextVersion(current.User, current), current.Status, verifier, current.CreatedUtc, _time.GetUtcNow(), current.SshKeys);
        return Written(record => _store.TryReplace(record, current.Signature), replacement);
    }

    /// <summary>An administrator's lock (<see cref="AccountStatus.LockedByAdministrator"/>) set or lifted; false when there is no such account.</summary>
    public bool TrySetStatus(AccountName name, AccountStatus status)
    {
        if (status == AccountStatus.Removed)
        {
            throw new ArgumentOutOfRangeException(nameof(status), "Accounts are removed with Remove.");
        }

        return TryChange(name, "its status was being set", current => (status, current.SshKeys));
    }

    /// <summary>
    /// Replaces the account's SSH public keys with what <paramref name="change"/> makes of the current ones (read
    /// again when another change won the race); false when there is no such account.
    /// </summary>
    public bool TrySetSshKeys(AccountName name, Func<IReadOnlyList<SshPublicKey>, IReadOnlyList<SshPublicKey>> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return TryChange(name, "its SSH keys were being changed", current => (current.Status, change(current.SshKeys)));
    }

    /// <summary>Adds <paramref name="key"/> unless the account has it: null when there is no such account, false when it had it.</summary>
    public bool? TryAddSshKey(AccountName name, SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        bool had = false;
        return TrySetSshKeys(name, keys => (had = keys.Any(key.SameKeyAs)) ? keys : [.. keys, key]) ? !had : null;
    }

    /// <summary>Removes the key with this fingerprint: null when there is no such account, false when it had no such key.</summary>
    public bool? TryRemoveSshKey(AccountName name, string fingerprint)
    {
        bool found = false;
        return TrySetSshKeys(name, keys => (found = keys.Any(k => k.Fingerprint == fingerprint)) ? [.. keys.Where(k => k.Fingerprint != fingerprint)] : keys)
            ? found
            : null;
    }

    /// <summary>
    /// The keys that may log in as <paramref name="userText"/> through the SSH front door now (sshd asks at every
    /// key login): none for an unknown, removed, locked, forged or replayed account. The account's budget of failed
    /// passwords does not apply: a key is not guessed, and its holder proves it to sshd.
    /// </summary>
    public KeyLogin FindLoginKeys(string userText)
    {
        AccountName? name = AccountName.TryParse(userText, Domain, out _);
        if (name is null || _store.Find(name.User) is not { } record)
        {
            return new KeyLogin(LoginOutcome.Refused, null, []);
        }

        LoginOutcome outcome = CheckRecord(record) ?? record.Status switch
        {
            AccountStatus.Active => LoginOutcome.Success,
            AccountStatus.LockedByAdministrator => LoginOutcome.LockedByAdministrator,
            _ => LoginOutcome.Refused,
        };
        return outcome == LoginOutcome.Success ? new KeyLogin(outcome, name.User, record.SshKeys) : new KeyLogin(outcome, name.User, []);
    }

    /// <summary>Signs the next version of the account with the status and keys <paramref name="change"/> gives, retrying when the record changed meanwhile.</summary>
    private bool TryChange(AccountName name, string what, Func<AccountRecord, (AccountStatus Status, IReadOnlyList<SshPublicKey> Keys)> change)
    {
        for (int attempt = 0; attempt < ChangeAttempts; attempt++)
        {
            if (Find(name) is not { } current)
            {
                return false;
            }

            (AccountStatus status, IReadOnlyList<SshPublicKey> keys) = change(current);
            AccountRecord changed = Sign(current.User, NextVersion(current.User, current), status, current.Verifier, current.CreatedUtc, current.PasswordChangedUtc, keys);
            if (Written(record => _store.TryReplace(record, current.Signature), changed))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"The account '{name.User}' kept changing while {what}; try again.");
    }

    /// <summary>The account's record, or null when there is none or it was removed.</summary>
    public AccountRecord? Find(AccountName name) => _store.Find(name.User) is { IsRemoved: false } record ? record : null;

    public IReadOnlyList<AccountRecord> List() => [.. _store.List().Where(record => !record.IsRemoved)];

    /// <summary>Replaces the account's record with a signed tombstone of the next version (never the last account).</summary>
    public AccountRemoval Remove(AccountName name)
    {
        for (int attempt = 0; attempt < ChangeAttempts; attempt++)
        {
            if (Find(name) is not { } current)
            {
                return AccountRemoval.NotFound;
            }

            AccountRecord tombstone = Sign(current.User, NextVersion(current.User, current), AccountStatus.Removed, AccountRecord.NoVerifier, current.CreatedUtc, _time.GetUtcNow());
            AccountRemoval removal = _store.TryRemove(tombstone, current.Signature);
            if (removal == AccountRemoval.Removed)
            {
                _floor?.Raise(tombstone.User, tombstone.Version);
            }

            if (removal != AccountRemoval.Changed)
            {
                return removal;
            }
        }

        return AccountRemoval.Changed;
    }

    /// <summary>Null when the record may be used; raises the floor when it is newer than any seen.</summary>
    private LoginOutcome? CheckRecord(AccountRecord record)
    {
        if (!IsTrusted(record))
        {
            return LoginOutcome.RecordNotTrusted;
        }

        if (_floor is not null)
        {
            long seen = _floor.Of(record.User);
            if (record.Version < seen)
            {
                return LoginOutcome.RecordReplayed;
            }

            if (record.Version > seen)
            {
                _floor.Raise(record.User, record.Version);
            }
        }

        return null;
    }

    /// <summary>
    /// Writes a record this service signed and, when the store took it, raises the floor to it at once: an old
    /// record written back right after a change made through this instance is refused even before anyone logs in.
    /// </summary>
    private bool Written(Func<AccountRecord, bool> write, AccountRecord record)
    {
        if (!write(record))
        {
            return false;
        }

        _floor?.Raise(record.User, record.Version);
        return true;
    }

    /// <summary>Above both the stored record and anything this instance saw: a change never reuses a version.</summary>
    private long NextVersion(string user, AccountRecord? current)
        => Math.Max(current?.Version ?? 0, _floor?.Of(user) ?? 0) + 1;

    /// <summary>
    /// A failed-login counter no account can own (account names start with a letter or a digit). A refusal that
    /// counts against no real account reads and writes this one instead, so that it costs the same store work
    /// as a wrong password for a real account: without it an existing account answered measurably later (the
    /// sign test of PreAuthenticationTests saw it in 11 of 12 pairs).
    /// </summary>
    private const string DecoyCounter = "-decoy";

    private LoginResult RefuseAfterDecoy(string password, LoginResult result)
    {
        PasswordHasher.VerifyAgainstNobody(password);
        _store.GetFailedAttempts(DecoyCounter);
        _store.RecordFailure(DecoyCounter, _time.GetUtcNow(), _budget);
        return result;
    }

    private AccountRecord Sign(string user, long version, AccountStatus status, PasswordVerifier verifier, DateTimeOffset created, DateTimeOffset changed, IReadOnlyList<SshPublicKey>? sshKeys = null)
    {
        IReadOnlyList<SshPublicKey> keys = sshKeys ?? [];
        byte[] signature = _stampKey.Sign(AccountRecord.SignedBytes(user, version, status, verifier, created, changed, keys));
        return new AccountRecord(user, version, status, verifier, created, changed, signature) { SshKeys = keys };
    }
}
