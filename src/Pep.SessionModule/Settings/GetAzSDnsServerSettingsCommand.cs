using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>Get-AzSDnsServerSettings: whether the stamp's DNS uses root hints, and the zones it forwards, from the deployment's shared settings (through the gateway).</summary>
[Cmdlet(VerbsCommon.Get, "AzSDnsServerSettings")]
[OutputType(typeof(DnsServerSettingsInfo))]
public sealed class GetAzSDnsServerSettingsCommand : StampCmdlet
{
    protected override void EndProcessing()
        => WriteObject(DnsServerSettingsInfoFrom(Ask<DnsServerSettingsReply>(new GetDnsServerSettingsRequest())));

    internal static DnsServerSettingsInfo DnsServerSettingsInfoFrom(DnsServerSettingsReply reply)
        => new(reply.UseRootHint, reply.ConditionalForwarders, reply.Role, reply.ConfigurationFile);
}
