namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Get-SupportSessionToken tells its gateway, before it shows the token, that it issued a break-the-glass request: the
/// gateway records it in its audit log (and so forwards it to syslog). The request hash ties it to the authority's grant
/// log and the session's support.log; the token itself never leaves the session. Answered with <see cref="DoneReply"/>.
/// </summary>
public sealed record SupportTokenIssuedRequest(Guid SupportSessionId, string RequestHash, DateTime ExpiresUtc) : BrokerRequest
{
    public override string Describe() => $"Get-SupportSessionToken (request {RequestHash[..Math.Min(16, RequestHash.Length)]})";

    public override string? Validate()
        => RequestHash.Length == 64 && RequestHash.All(char.IsAsciiHexDigitLower) ? null : $"{nameof(RequestHash)} must be 64 lower-case hex digits.";
}
