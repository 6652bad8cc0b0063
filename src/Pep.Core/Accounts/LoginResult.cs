namespace Pep.Core.Accounts;

/// <summary>What a login attempt came to. Unknown users and wrong passwords are one outcome, on purpose.</summary>
public enum LoginOutcome
{
    Success,
    Refused,
    Locked,
    /// <summary>The stored record's signature does not verify: it was not written by the stamp key.</summary>
    RecordNotTrusted,
}

public sealed record LoginResult(LoginOutcome Outcome, string? User, DateTimeOffset? LockedUntilUtc)
{
    public static LoginResult Refused { get; } = new(LoginOutcome.Refused, null, null);
}
