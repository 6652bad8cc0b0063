using System.Globalization;
using System.Management.Automation;
using System.Security;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Broker;

namespace Pep.SessionModule.Accounts;

/// <summary>
/// Get-CloudAdminPasswordRecoveryToken: the first step of a CloudAdmin password recovery with the support authority.
/// The gateway derives the new password's verifier, keeps it in memory and returns a token (encrypted to the registered
/// authority) that commits to it; the authority's signed answer, given to Complete-CloudAdminPasswordRecovery on the
/// same instance, sets it. The password itself never leaves the endpoint and is not kept.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CloudAdminPasswordRecoveryToken")]
[OutputType(typeof(string))]
public sealed class GetCloudAdminPasswordRecoveryTokenCommand : AccountCmdlet
{
    /// <summary>The password the account gets once the authority answers (the password policy applies).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public SecureString Password { get; set; } = null!;

    /// <summary>The account to recover; by default the CloudAdmin account the deployment was made with.</summary>
    [Parameter(Position = 1)]
    [ValidateLength(1, AccountLimits.MaxUserNameLength)]
    public string? UserName { get; set; }

    protected override void EndProcessing()
    {
        string domain = Domain();
        if ((UserName ?? LoadDeployment().InitialCloudAdmin) is not { } userName)
        {
            Fail("PasswordRecoveryAccountUnknown", ErrorCategory.InvalidArgument, null,
                "This deployment does not record the CloudAdmin account 'pep init' made; name the account to recover with -UserName.");
            return;
        }

        CheckPolicy(Password, ParseName(userName, domain));
        PasswordRecoveryTokenReply token = Ask<PasswordRecoveryTokenReply>(new RequestPasswordRecoveryRequest(UserName, SecretBytes.Utf8(Password)));
        WriteHostLine(string.Create(CultureInfo.InvariantCulture,
            $"Recovery {token.RecoveryId} of {token.Account}, valid until {token.ExpiresUtc:u}: send the token to the support authority, then give its answer to Complete-CloudAdminPasswordRecovery in a session on this instance ({Session.Identity.Instance})."));
        WriteObject(token.Token);
    }
}
