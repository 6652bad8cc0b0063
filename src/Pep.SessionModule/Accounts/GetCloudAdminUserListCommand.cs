using System.Management.Automation;
using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.Accounts;

/// <summary>Get-CloudAdminUserList: the accounts that can use the endpoint.</summary>
[Cmdlet(VerbsCommon.Get, "CloudAdminUserList")]
[OutputType(typeof(CloudAdminUser))]
public sealed class GetCloudAdminUserListCommand : AccountCmdlet
{
    protected override void EndProcessing()
    {
        foreach (BrokerAccount account in Ask<AccountListReply>(new ListAccountsRequest()).Accounts)
        {
            WriteObject(CloudAdminUser.From(account));
        }
    }
}
