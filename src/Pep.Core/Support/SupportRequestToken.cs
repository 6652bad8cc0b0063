namespace Pep.Core.Support;

/// <summary>A request token as the endpoint issued it: the text for the operator, and what the session's audit log records (never the one-time key).</summary>
public sealed record SupportRequestToken(string Text, Guid SupportSessionId, string RequestHash, DateTimeOffset ExpiresUtc);
