using System.Management.Automation;
using System.Security;
using Pep.Core.Accounts;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Broker;

namespace Pep.SessionModule.Accounts;

/// <summary>
/// Add-CloudAdminUserSshKey: lets a public key log in as the account through the SSH front door (for scripts using
/// <c>-KeyFilePath</c>). The key is signed into the account's record like the rest of it. It takes the account's
/// current password, because the key is a way in as that account: a wrong one counts as a failed login.
/// </summary>
[Cmdlet(VerbsCommon.Add, "CloudAdminUserSshKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class AddCloudAdminUserSshKeyCommand : AccountCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateLength(1, AccountLimits.MaxUserNameLength)]
    public string UserName { get; set; } = string.Empty;

    /// <summary>OpenSSH's one-line form, the content of an <c>id_ed25519.pub</c> file.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateLength(1, SshPublicKey.MaxLineLength)]
    public string PublicKey { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 2)]
    public SecureString CurrentPassword { get; set; } = null!;

    protected override void EndProcessing()
    {
        string domain = Domain();
        string qualified = ParseName(UserName, domain).Qualified(domain);
        if (SshPublicKey.TryParse(PublicKey, out string? error) is not { } key)
        {
            Fail("InvalidSshPublicKey", ErrorCategory.InvalidArgument, PublicKey.Length > 40 ? PublicKey[..40] + "..." : PublicKey, error!);
            return;
        }

        // The gateway checks the account, its password and the key first, so that nobody is asked to confirm what
        // cannot be done; it checks them again when it adds the key.
        Ask<DoneReply>(new AddSshKeyRequest(UserName, PublicKey, SecretBytes.Utf8(CurrentPassword), CheckOnly: true));
        if (!ShouldProcess(qualified, $"Add SSH key {key.Fingerprint}"))
        {
            return;
        }

        DoneReply added = Ask<DoneReply>(new AddSshKeyRequest(UserName, PublicKey, SecretBytes.Utf8(CurrentPassword), CheckOnly: false));
        WriteHostLine(added.Message ?? $"Added the key {key.Fingerprint} to {qualified}.");
    }
}
