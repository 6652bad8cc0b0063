namespace Pep.Core.Support;

/// <summary>What the authority granted: the response token and what its log records about it.</summary>
public sealed record SupportGrant(
    string ResponseToken,
    Guid SessionId,
    string RequestHash,
    TimeSpan Duration,
    DateTimeOffset GrantedUtc,
    DateTimeOffset ExpiresUtc,
    string GrantedBy);
