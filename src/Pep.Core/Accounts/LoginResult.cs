namespace Pep.Core.Accounts;

/// <summary>
/// What a login attempt came to. Every outcome but <see cref="Success"/> gets the same answer from the gateway
/// (unknown user, wrong password, and the rest): the distinctions are for the endpoint's log only.
/// </summary>
public enum LoginOutcome
{
    Success,
    Refused,
    /// <summary>The stored record's signature does not verify: it was not written by the stamp key.</summary>
    RecordNotTrusted,
    /// <summary>The stored record is older than one this instance has already seen: an old record written back.</summary>
    RecordReplayed,
    /// <summary>An administrator locked the account.</summary>
    LockedByAdministrator,
    /// <summary>The account's budget of failed attempts is spent, and this source never logged in to it: not checked.</summary>
    AttemptBudgetSpent,
}

/// <summary>An outcome and the account it concerns (for the log; null when the name does not parse or no account has it).</summary>
public sealed record LoginResult(LoginOutcome Outcome, string? User)
{
    public static LoginResult Refused { get; } = new(LoginOutcome.Refused, null);

    /// <summary>What became of the re-login ticket the login presented (<see cref="ReloginTickets"/>), for the log.</summary>
    public ReloginTicketOutcome Relogin { get; init; }

    /// <summary>A new re-login ticket for the client, after a successful login that may receive one; null otherwise. A secret: only for the client.</summary>
    public byte[]? IssuedTicket { get; init; }
}
