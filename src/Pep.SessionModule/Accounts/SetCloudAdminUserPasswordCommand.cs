using System.Management.Automation;
using System.Net;
using System.Security;
using Pep.Core.Accounts;

namespace Pep.SessionModule.Accounts;

/// <summary>
/// Set-CloudAdminUserPassword: changes an account's password after checking its current one. A wrong
/// current password counts as a failed login of that account (against the same budget as the gateway's).
/// </summary>
[Cmdlet(VerbsCommon.Set, "CloudAdminUserPassword", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class SetCloudAdminUserPasswordCommand : AccountCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateLength(1, 200)]
    public string UserName { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1)]
    public SecureString CurrentPassword { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 2)]
    public SecureString NewPassword { get; set; } = null!;

    protected override void EndProcessing()
    {
        using OpenAccounts accounts = Open();
        AccountName name = ParseName(UserName, accounts.Service.Domain);
        string qualified = name.Qualified(accounts.Service.Domain);
        CheckPolicy(NewPassword, name);
        AccountRecord? before = accounts.Service.Find(name);
        if (before is null)
        {
            Fail("CloudAdminUserNotFound", ErrorCategory.ObjectNotFound, qualified, $"There is no account {qualified}.");
            return;
        }

        LoginResult check = accounts.Service.Authenticate(qualified, new NetworkCredential(string.Empty, CurrentPassword).Password, source: null);
        if (check.Outcome != LoginOutcome.Success)
        {
            Fail("CurrentPasswordIncorrect", ErrorCategory.AuthenticationError, qualified, $"The current password of {qualified} is not correct.");
        }

        if (!ShouldProcess(qualified, "Change password"))
        {
            return;
        }

        AccountRecord current = accounts.Service.Find(name)!;
        if (!WithPassword(NewPassword, chars => accounts.Service.TryReplacePassword(current, chars)))
        {
            Fail("CloudAdminUserChanged", ErrorCategory.ResourceUnavailable, qualified, $"{qualified} was changed by someone else meanwhile; try again.");
        }

        WriteHostLine($"Changed the password of {qualified}.");
    }
}
