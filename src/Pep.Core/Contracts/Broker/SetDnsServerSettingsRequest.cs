namespace Pep.Core.Contracts.Broker;

/// <summary>Set-AzSDnsServerSettings -UseRootHint (answered with <see cref="DnsServerSettingsReply"/>).</summary>
public sealed record SetDnsServerSettingsRequest(bool UseRootHint) : BrokerRequest
{
    public override string Describe() => $"Set-AzSDnsServerSettings -UseRootHint {(UseRootHint ? "$true" : "$false")}";
}
