using System.Management.Automation;
using System.Security;
using Pep.Core.Accounts;

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
        using OpenAccounts accounts = Open();
        AccountName name = ParseName(UserName, accounts.Service.Domain);
        CheckPolicy(Password, name);
        string qualified = name.Qualified(accounts.Service.Domain);
        if (!ShouldProcess(qualified, "Add CloudAdmin account"))
        {
            return;
        }

        if (!WithPassword(Password, chars => accounts.Service.TryAdd(name, chars)))
        {
            Fail("CloudAdminUserExists", ErrorCategory.ResourceExists, qualified, $"The account {qualified} exists already.");
        }

        AccountRecord created = accounts.Service.Find(name)!;
        WriteObject(new CloudAdminUser(qualified, created.CreatedUtc.UtcDateTime, created.PasswordChangedUtc.UtcDateTime, true));
    }
}
