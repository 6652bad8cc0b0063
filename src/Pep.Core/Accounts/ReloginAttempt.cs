namespace Pep.Core.Accounts;

/// <summary>
/// A login that may use and receive a re-login ticket (the HTTPS door): the client's exact address, which a ticket is
/// bound to, and the ticket it presented (null: none; an empty or malformed one is presented and unknown).
/// </summary>
public sealed record ReloginAttempt(string ClientAddress, byte[]? PresentedTicket);
