namespace Pep.Core.Contracts.Broker;

/// <summary>Get-AzSLegalNotice (answered with <see cref="LegalNoticeReply"/>).</summary>
public sealed record GetLegalNoticeRequest : BrokerRequest
{
    public override string Describe() => "Get-AzSLegalNotice";
}
