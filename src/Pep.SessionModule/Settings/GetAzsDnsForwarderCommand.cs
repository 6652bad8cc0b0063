using System.Management.Automation;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>Get-AzsDnsForwarder: the forwarders of the stamp's DNS, as its configuration file holds them.</summary>
[Cmdlet(VerbsCommon.Get, "AzsDnsForwarder")]
[OutputType(typeof(DnsForwarderSettings))]
public sealed class GetAzsDnsForwarderCommand : StampCmdlet
{
    protected override void EndProcessing()
    {
        StampManifest manifest = LoadManifest();
        if (manifest.Dns is not { } dns)
        {
            Fail("StampHasNoDns", ErrorCategory.NotImplemented, Session.Layout.StampManifest, "The stamp manifest declares no DNS.");
            return;
        }

        WriteObject(new DnsForwarderSettings([.. DnsForwarders.Read(dns).Select(a => a.ToString())], dns.Role, dns.ForwardersFile));
    }
}
