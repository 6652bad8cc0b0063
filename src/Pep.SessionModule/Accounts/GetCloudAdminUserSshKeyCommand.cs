using System.Management.Automation;
using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.Accounts;

/// <summary>Get-CloudAdminUserSshKey: the SSH public keys that log in as an account (or as every account) through the SSH front door.</summary>
[Cmdlet(VerbsCommon.Get, "CloudAdminUserSshKey")]
[OutputType(typeof(CloudAdminUserSshKey))]
public sealed class GetCloudAdminUserSshKeyCommand : AccountCmdlet
{
    [Parameter(Position = 0)]
    [ValidateLength(1, AccountLimits.MaxUserNameLength)]
    public string? UserName { get; set; }

    protected override void EndProcessing()
    {
        if (UserName is not null)
        {
            ParseName(UserName, Domain());
        }

        foreach (BrokerSshKey key in Ask<SshKeyListReply>(new ListSshKeysRequest(UserName)).Keys)
        {
            WriteObject(CloudAdminUserSshKey.From(key));
        }
    }
}
