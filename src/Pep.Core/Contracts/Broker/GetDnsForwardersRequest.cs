namespace Pep.Core.Contracts.Broker;

/// <summary>Get-AzsDnsForwarder (answered with <see cref="DnsForwardersReply"/>).</summary>
public sealed record GetDnsForwardersRequest : BrokerRequest
{
    public override string Describe() => "Get-AzsDnsForwarder";
}
