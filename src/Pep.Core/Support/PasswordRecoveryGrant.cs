namespace Pep.Core.Support;

/// <summary>What the authority signed for a recovery: the response token and what its log records (never a token).</summary>
public sealed record PasswordRecoveryGrant(
    string ResponseToken,
    Guid RecoveryId,
    string Account,
    string RequestHash,
    DateTimeOffset GrantedUtc,
    DateTimeOffset ExpiresUtc,
    string GrantedBy);
