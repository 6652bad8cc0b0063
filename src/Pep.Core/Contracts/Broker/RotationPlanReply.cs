namespace Pep.Core.Contracts.Broker;

/// <summary>What a rotation would do, for the cmdlet's confirmation, and the last rotation state it was planned from.</summary>
public sealed record RotationPlanReply(string Target, string Action, Guid? LastStateId, DateTimeOffset? LastStateUpdatedUtc) : BrokerReply;
