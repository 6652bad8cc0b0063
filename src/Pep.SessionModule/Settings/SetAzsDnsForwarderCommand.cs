using System.Management.Automation;
using System.Net;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>
/// Set-AzsDnsForwarder: the gateway keeps the forwarders in the deployment's shared settings, writes them to the stamp
/// DNS's configuration file and applies them with the DNS role's reload command. If the reload fails, the previous
/// forwarders are put back.
/// </summary>
[Cmdlet(VerbsCommon.Set, "AzsDnsForwarder", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DnsForwarderSettings))]
public sealed class SetAzsDnsForwarderCommand : StampCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateCount(1, DnsForwarders.MaxForwarders)]
    public IPAddress[] IPAddress { get; set; } = [];

    protected override void EndProcessing()
    {
        StampManifest manifest = LoadManifest();
        if (manifest.Dns is not { } dns)
        {
            Fail("StampHasNoDns", ErrorCategory.NotImplemented, Session.Layout.StampManifest, "The stamp manifest declares no DNS.");
            return;
        }

        if (DnsForwarders.Check(IPAddress) is { } problem)
        {
            Fail("InvalidDnsForwarder", ErrorCategory.InvalidArgument, IPAddress, problem);
        }

        string list = string.Join(", ", IPAddress.Select(a => a.ToString()));
        if (!ShouldProcess($"DNS forwarders of stamp {manifest.Name}", $"Set to {list}"))
        {
            return;
        }

        DnsForwardersReply set = Ask<DnsForwardersReply>(new SetDnsForwardersRequest([.. IPAddress.Select(a => a.ToString())]));
        WriteObject(new DnsForwarderSettings(set.Addresses, set.Role, set.ConfigurationFile));
    }
}
