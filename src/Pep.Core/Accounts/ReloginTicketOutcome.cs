namespace Pep.Core.Accounts;

/// <summary>
/// What became of a re-login ticket presented with a login (<see cref="ReloginTickets"/>). Only <see cref="Accepted"/>
/// stands in for the password verifier; every other outcome spends the ticket and leaves the login to the verifier, so
/// the client's answer is the one it would get without a ticket. For the gateway's log only.
/// </summary>
public enum ReloginTicketOutcome
{
    /// <summary>The login presented no ticket.</summary>
    None,

    /// <summary>Bound to this account, source and record, unexpired, and the password matched: PBKDF2 was not run.</summary>
    Accepted,

    /// <summary>No such ticket here: never issued by this instance, already used, dropped, or issued before a restart.</summary>
    Unknown,

    Expired,

    /// <summary>Issued to a login of another account.</summary>
    OtherAccount,

    /// <summary>Issued to a login from another client address.</summary>
    OtherSource,

    /// <summary>The account's record changed since the ticket was issued (password, lock, SSH keys, removal, a record written back).</summary>
    AccountChanged,

    /// <summary>The password does not match the one the ticket was issued to.</summary>
    WrongPassword,

    /// <summary>The ticket fit, but the account may not log in now (its budget of failed logins is spent): refused as without one.</summary>
    AccountRefused,
}
