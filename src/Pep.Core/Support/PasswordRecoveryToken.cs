namespace Pep.Core.Support;

/// <summary>A recovery token as the gateway issued it: the text for the operator, and what the audit log records.</summary>
public sealed record PasswordRecoveryToken(string Text, Guid RecoveryId, string Account, string RequestHash, DateTimeOffset ExpiresUtc);
