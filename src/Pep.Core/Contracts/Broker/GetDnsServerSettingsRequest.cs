namespace Pep.Core.Contracts.Broker;

/// <summary>Get-AzSDnsServerSettings (answered with <see cref="DnsServerSettingsReply"/>).</summary>
public sealed record GetDnsServerSettingsRequest : BrokerRequest
{
    public override string Describe() => "Get-AzSDnsServerSettings";
}
