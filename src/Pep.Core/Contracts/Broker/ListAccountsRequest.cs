namespace Pep.Core.Contracts.Broker;

/// <summary>Get-CloudAdminUserList: the accounts that can use the endpoint (answered with <see cref="AccountListReply"/>).</summary>
public sealed record ListAccountsRequest : BrokerRequest
{
    public override string Describe() => "Get-CloudAdminUserList";
}
