using System.Management.Automation;
using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.Accounts;

/// <summary>Remove-CloudAdminUserSshKey: stops a public key, named by its fingerprint, from logging in as the account.</summary>
[Cmdlet(VerbsCommon.Remove, "CloudAdminUserSshKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class RemoveCloudAdminUserSshKeyCommand : AccountCmdlet
{
    /// <summary>From the pipeline by property name too, so Get-CloudAdminUserSshKey's output can be piped in.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateLength(1, AccountLimits.MaxUserNameLength)]
    public string UserName { get; set; } = string.Empty;

    /// <summary>As Get-CloudAdminUserSshKey shows it (<c>SHA256:…</c>); from the pipeline by property name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateLength(1, RemoveSshKeyRequest.MaxFingerprintLength)]
    public string Fingerprint { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        string domain = Domain();
        string qualified = ParseName(UserName, domain).Qualified(domain);
        Ask<DoneReply>(new RemoveSshKeyRequest(UserName, Fingerprint, CheckOnly: true));
        if (!ShouldProcess(qualified, $"Remove SSH key {Fingerprint}"))
        {
            return;
        }

        DoneReply removed = Ask<DoneReply>(new RemoveSshKeyRequest(UserName, Fingerprint, CheckOnly: false));
        WriteHostLine(removed.Message ?? $"Removed the key {Fingerprint} from {qualified}.");
    }
}
