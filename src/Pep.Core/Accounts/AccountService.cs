using Pep.Core.Security;

namespace Pep.Core.Accounts;

/// <summary>
/// CloudAdmin accounts: login with lockout, and the changes the account cmdlets make. Records are signed
/// with the stamp key when written and checked against the locally stored public key when read.
/// </summary>
public sealed class AccountService
{
    private readonly IAccountStore _store;
    private readonly SigningKey _stampKey;
    private readonly LockoutPolicy _policy;
    private readonly TimeProvider _time;

    public AccountService(IAccountStore store, SigningKey stampKey, string domain, LockoutPolicy policy, TimeProvider time)
    {
        _store = store;
        _stampKey = stampKey;
        Domain = domain;
        _policy = policy;
        _time = time;
    }

    /// <summary>The stamp's NetBIOS domain: account names may be written <c>DOMAIN\user</c>.</summary>
    public string Domain { get; }

    public async Task<LoginResult> AuthenticateAsync(string userText, string password, CancellationToken cancellationToken)
    {
        AccountName? name = AccountName.TryParse(userText, Domain, out _);
        AccountRecord? record = name is null ? null : _store.Find(name.User);
        if (name is null || record is null)
        {
            PasswordHasher.VerifyAgainstNobody(password);
            return LoginResult.Refused;
        }

        LoginState state = _store.GetLoginState(name.User);
        DateTimeOffset now = _time.GetUtcNow();
        if (state.LockedUntilUtc is { } lockedUntil && lockedUntil > now)
        {
            return new LoginResult(LoginOutcome.Locked, name.User, lockedUntil);
        }

        TimeSpan delay = _policy.DelayAfter(state.ConsecutiveFailures);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken);
        }

        if (!IsTrusted(record))
        {
            PasswordHasher.VerifyAgainstNobody(password);
            return new LoginResult(LoginOutcome.RecordNotTrusted, name.User, null);
        }

        if (PasswordHasher.Verify(password, record.Verifier))
        {
            _store.RecordSuccess(name.User);
            return new LoginResult(LoginOutcome.Success, name.User, null);
        }

        LoginState after = _store.RecordFailure(name.User, _time.GetUtcNow(), _policy);
        return after.LockedUntilUtc is { } until && until > _time.GetUtcNow()
            ? new LoginResult(LoginOutcome.Locked, name.User, until)
            : LoginResult.Refused;
    }

    /// <summary>True when the record was signed by the stamp key.</summary>
    public bool IsTrusted(AccountRecord record) => _stampKey.Verify(record.SignedBytes(), record.Signature);

    /// <summary>Adds an account. The caller has checked the password policy.</summary>
    public bool TryAdd(AccountName name, ReadOnlySpan<char> password)
    {
        DateTimeOffset now = _time.GetUtcNow();
        return _store.TryAdd(Sign(name.User, PasswordHasher.Create(password), now, now));
    }

    /// <summary>Sets a new password, only if the record did not change since it was read.</summary>
    public bool TryReplacePassword(AccountRecord current, ReadOnlySpan<char> newPassword)
    {
        AccountRecord replacement = Sign(current.User, PasswordHasher.Create(newPassword), current.CreatedUtc, _time.GetUtcNow());
        return _store.TryReplace(replacement, current.Signature);
    }

    public AccountRecord? Find(AccountName name) => _store.Find(name.User);

    public IReadOnlyList<AccountRecord> List() => _store.List();

    public AccountRemoval Remove(AccountName name) => _store.TryRemove(name.User);

    private AccountRecord Sign(string user, PasswordVerifier verifier, DateTimeOffset created, DateTimeOffset changed)
    {
        byte[] signature = _stampKey.Sign(AccountRecord.SignedBytes(user, verifier, created, changed));
        return new AccountRecord(user, verifier, created, changed, signature);
    }
}
