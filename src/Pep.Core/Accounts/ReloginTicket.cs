namespace Pep.Core.Accounts;

/// <summary>
/// What the gateway keeps of one issued re-login ticket (<see cref="ReloginTickets"/>): never the ticket nor the password.
/// <see cref="PasswordCheck"/> is HMAC-SHA256 keyed by the 256-bit ticket over the password's UTF-8 bytes, so without the
/// ticket it tests no password; <see cref="RecordDigest"/> is SHA-256 of the account record's signed bytes at issue.
/// </summary>
internal sealed record ReloginTicket(string User, string ClientAddress, byte[] RecordDigest, byte[] PasswordCheck, long IssuedTimestamp);
