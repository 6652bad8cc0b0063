using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>Get-AzsDnsForwarder: the forwarders of the stamp's DNS, as the deployment's shared settings hold them (through the gateway).</summary>
[Cmdlet(VerbsCommon.Get, "AzsDnsForwarder")]
[OutputType(typeof(DnsForwarderSettings))]
public sealed class GetAzsDnsForwarderCommand : StampCmdlet
{
    protected override void EndProcessing()
    {
        DnsForwardersReply forwarders = Ask<DnsForwardersReply>(new GetDnsForwardersRequest());
        WriteObject(new DnsForwarderSettings(forwarders.Addresses, forwarders.Role, forwarders.ConfigurationFile));
    }
}
