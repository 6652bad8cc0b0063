using System.Management.Automation;
using System.Security;
using Pep.Core.Accounts;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Broker;

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
        string domain = Domain();
        AccountName name = ParseName(UserName, domain);
        string qualified = name.Qualified(domain);
        CheckPolicy(NewPassword, name);

        // The gateway checks the account and its current password first, so that nobody is asked to confirm a change
        // that cannot be made; it checks them again when it makes the change.
        Ask<DoneReply>(new SetAccountPasswordRequest(UserName, SecretBytes.Utf8(CurrentPassword), SecretBytes.Utf8(NewPassword), CheckOnly: true));
        if (!ShouldProcess(qualified, "Change password"))
        {
            return;
        }

        DoneReply changed = Ask<DoneReply>(new SetAccountPasswordRequest(UserName, SecretBytes.Utf8(CurrentPassword), SecretBytes.Utf8(NewPassword), CheckOnly: false));
        WriteHostLine(changed.Message ?? $"Changed the password of {qualified}.");
    }
}
