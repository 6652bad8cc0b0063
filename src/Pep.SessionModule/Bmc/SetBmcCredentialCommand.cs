using System.Management.Automation;
using System.Security;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Bmc;

/// <summary>
/// Set-BmcCredential: changes the BMC credential of every node that declares BMC commands in the stamp manifest, one
/// node after another (the gateway runs each node's command with the user and password on its standard input, never
/// on its command line). Without -BmcUser each node keeps its current BMC user (the command reads an empty
/// user line). -BypassBMCUpdate changes only the stamp's stored copy (the BMCs were changed already). The
/// first node that fails stops the rest; the error names the nodes already changed. Parameters as the original.
/// </summary>
[Cmdlet(VerbsCommon.Set, "BmcCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(BmcCredentialResult))]
public sealed class SetBmcCredentialCommand : StampCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public SecureString BmcPassword { get; set; } = null!;

    [Parameter(Position = 1)]
    [ValidateLength(1, SetBmcCredentialRequest.MaxUserLength)]
    [ValidatePattern(@"^[^\s\p{C}]+$")]
    public string? BmcUser { get; set; }

    [Parameter]
    public SwitchParameter BypassBMCUpdate { get; set; }

    protected override void EndProcessing()
    {
        if (BmcPassword.Length == 0)
        {
            Fail("BmcPasswordEmpty", ErrorCategory.InvalidArgument, nameof(BmcPassword), "The BMC password may not be empty.");
        }

        string[] nodes = [.. LoadManifest().Nodes.Where(n => n.Bmc is not null).Select(n => n.Name)];
        string what = BypassBMCUpdate ? "Change the stored BMC credential (BMCs not updated)" : "Change the BMC credential";
        if (!ShouldProcess($"BMC of node(s) {string.Join(", ", nodes)}{(BmcUser is null ? "" : $" (user {BmcUser})")}", what))
        {
            return;
        }

        BmcCredentialReply changed = Ask<BmcCredentialReply>(new SetBmcCredentialRequest(BmcUser ?? string.Empty, SecretBytes.Utf8(BmcPassword), BypassBMCUpdate),
            progressActivity: "Set-BmcCredential");
        CompleteProgress(1, "Set-BmcCredential");
        WriteObject(new BmcCredentialResult(changed.BmcUser, changed.Nodes, changed.BypassedBmcUpdate));
    }
}
