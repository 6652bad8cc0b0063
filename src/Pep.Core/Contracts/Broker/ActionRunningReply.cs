namespace Pep.Core.Contracts.Broker;

/// <summary>The action has not ended yet: its last progress; the cmdlet asks again.</summary>
public sealed record ActionRunningReply(string ActionId, string Progress, int PercentComplete) : BrokerReply;
