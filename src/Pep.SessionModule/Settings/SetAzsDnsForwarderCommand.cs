using System.Management.Automation;
using System.Net;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>
/// Set-AzsDnsForwarder: writes the forwarders to the stamp DNS's configuration file and applies them with
/// the DNS role's reload command. If the reload fails, the previous forwarders are put back.
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

        IReadOnlyList<IPAddress> previous = DnsForwarders.Read(dns);
        DnsForwarders.Write(dns, IPAddress);
        RoleCommand reload = manifest.FindRole(dns.Role)!.Reload!;
        CommandOutcome outcome = WaitOnPipeline(CommandRunner.RunAsync(reload.Argv, TimeSpan.FromSeconds(reload.TimeoutSeconds), Cancellation));
        if (!outcome.Succeeded)
        {
            DnsForwarders.Write(dns, previous);
            Fail("DnsReloadFailed", ErrorCategory.InvalidResult, dns.Role,
                $"The {dns.Role} role's reload command {outcome.Describe()}; the previous forwarders were restored.");
        }

        WriteObject(new DnsForwarderSettings([.. IPAddress.Select(a => a.ToString())], dns.Role, dns.ForwardersFile));
    }
}
