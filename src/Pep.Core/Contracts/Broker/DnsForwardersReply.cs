namespace Pep.Core.Contracts.Broker;

/// <summary>The stamp DNS's forwarders, the role that serves them and the file it reads them from.</summary>
public sealed record DnsForwardersReply(string[] Addresses, string Role, string ConfigurationFile) : BrokerReply;
