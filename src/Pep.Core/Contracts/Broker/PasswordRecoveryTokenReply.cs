namespace Pep.Core.Contracts.Broker;

/// <summary>The recovery token to send to the support authority, the account it recovers and when it expires.</summary>
public sealed record PasswordRecoveryTokenReply(string Token, string Account, Guid RecoveryId, DateTime ExpiresUtc) : BrokerReply;
