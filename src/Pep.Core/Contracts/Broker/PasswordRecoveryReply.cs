namespace Pep.Core.Contracts.Broker;

/// <summary>The account whose password the accepted response sets (or, for a check, would set), and the recovery's id.</summary>
public sealed record PasswordRecoveryReply(string Account, Guid RecoveryId) : BrokerReply;
