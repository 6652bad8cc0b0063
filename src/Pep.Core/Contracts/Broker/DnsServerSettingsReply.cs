namespace Pep.Core.Contracts.Broker;

/// <summary>The stamp DNS's server settings: root hints, conditional forwarders (one "zone address address..." line each), the role and its file.</summary>
public sealed record DnsServerSettingsReply(bool UseRootHint, string[] ConditionalForwarders, string Role, string ConfigurationFile) : BrokerReply;
