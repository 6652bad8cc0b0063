namespace Pep.Core.Contracts.Broker;

/// <summary>The account a request made.</summary>
public sealed record AccountReply(BrokerAccount Account) : BrokerReply;
