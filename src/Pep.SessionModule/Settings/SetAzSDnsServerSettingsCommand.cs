using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>
/// Set-AzSDnsServerSettings -UseRootHint: turns the stamp DNS's root hints on or off. The gateway keeps the setting in
/// the deployment's shared settings, writes the DNS role's server settings file and runs the role's reload command; if
/// the reload fails, the previous settings are put back.
/// </summary>
[Cmdlet(VerbsCommon.Set, "AzSDnsServerSettings", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DnsServerSettingsInfo))]
public sealed class SetAzSDnsServerSettingsCommand : StampCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public bool UseRootHint { get; set; }

    protected override void EndProcessing()
    {
        if (!ShouldProcess("DNS server settings of the stamp", $"{(UseRootHint ? "Use" : "Do not use")} root hints"))
        {
            return;
        }

        Progress(new ProgressRecord(1, "Set-AzSDnsServerSettings", "Applying the setting and reloading the DNS role"));
        DnsServerSettingsReply set = Ask<DnsServerSettingsReply>(new SetDnsServerSettingsRequest(UseRootHint));
        CompleteProgress(1, "Set-AzSDnsServerSettings");
        WriteObject(GetAzSDnsServerSettingsCommand.DnsServerSettingsInfoFrom(set));
    }
}
