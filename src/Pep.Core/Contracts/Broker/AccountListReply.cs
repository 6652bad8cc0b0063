namespace Pep.Core.Contracts.Broker;

/// <summary>The accounts that can use the endpoint, ordered by name.</summary>
public sealed record AccountListReply(BrokerAccount[] Accounts) : BrokerReply;
