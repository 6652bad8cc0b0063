using System.Management.Automation;
using System.Security;
using Pep.Core.Accounts;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Broker;

namespace Pep.SessionModule.Accounts;

/// <summary>New-CloudAdminUser: adds an account that can use the endpoint, its password meeting the policy.</summary>
[Cmdlet(VerbsCommon.New, "CloudAdminUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CloudAdminUser))]
public sealed class NewCloudAdminUserCommand : AccountCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateLength(1, 200)]
    public string UserName { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1)]
    public SecureString Password { get; set; } = null!;

    protected override void EndProcessing()
    {
        string domain = Domain();
        AccountName name = ParseName(UserName, domain);
        CheckPolicy(Password, name);
        string qualified = name.Qualified(domain);
        if (!ShouldProcess(qualified, "Add CloudAdmin account"))
        {
            return;
        }

        AccountReply created = Ask<AccountReply>(new NewAccountRequest(UserName, SecretBytes.Utf8(Password)));
        WriteObject(CloudAdminUser.From(created.Account));
    }
}
