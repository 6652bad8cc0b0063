using System.Management.Automation;
using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.Accounts;

/// <summary>
/// Complete-CloudAdminPasswordRecovery (this endpoint's own; the original leaves the second step undocumented): gives the
/// support authority's signed answer to the instance's waiting recovery, which then sets the account's password to the
/// one Get-CloudAdminPasswordRecoveryToken committed to. Once: a used, forged, tampered, expired or replaced answer is refused.
/// </summary>
[Cmdlet(VerbsLifecycle.Complete, "CloudAdminPasswordRecovery", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(PasswordRecoveryResult))]
public sealed class CompleteCloudAdminPasswordRecoveryCommand : AccountCmdlet
{
    /// <summary>The authority's response token. Not a secret: it works once, on the instance that issued its recovery token.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateLength(1, CompletePasswordRecoveryRequest.MaxTokenLength)]
    public string ResponseToken { get; set; } = "";

    protected override void EndProcessing()
    {
        // The gateway checks the answer first (without using it), so that the confirmation names the account it changes.
        PasswordRecoveryReply check = Ask<PasswordRecoveryReply>(new CompletePasswordRecoveryRequest(ResponseToken, CheckOnly: true));
        if (!ShouldProcess(check.Account, "Set the password committed in recovery " + check.RecoveryId))
        {
            return;
        }

        PasswordRecoveryReply done = Ask<PasswordRecoveryReply>(new CompletePasswordRecoveryRequest(ResponseToken, CheckOnly: false));
        WriteHostLine($"The password of {done.Account} is now the one its recovery token committed to.");
        WriteObject(new PasswordRecoveryResult(done.Account, done.RecoveryId));
    }
}
