namespace Pep.Core.Contracts.Broker;

/// <summary>Get-TLSPolicy (answered with <see cref="TlsPolicyReply"/>).</summary>
public sealed record GetTlsPolicyRequest : BrokerRequest
{
    public override string Describe() => "Get-TLSPolicy";
}
