using System.Management.Automation;
using System.Net;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Settings;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>
/// Register-CustomDnsServer: the stamp's DNS forwards one zone (the customer's domain) to the customer's DNS servers
/// (conditional forwarding), replacing what that zone had. Kept in the deployment's shared settings, written to the DNS
/// role's server settings file and applied by its reload command (within -TimeoutInSecs); if the reload fails, the
/// previous settings are put back. Parameters and positions as the original.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "CustomDnsServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DnsServerSettingsInfo))]
public sealed class RegisterCustomDnsServerCommand : StampCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateLength(1, DnsServerSettings.MaxZoneNameLength)]
    public string CustomDomainName { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateCount(1, DnsServerSettings.MaxServersPerZone)]
    public IPAddress[] CustomDnsIPAddresses { get; set; } = [];

    [Parameter(Position = 2)]
    [ValidateRange(1, DnsServerSettings.MaxTimeoutSeconds)]
    public int TimeoutInSecs { get; set; } = 1000;

    protected override void EndProcessing()
    {
        if (DnsServerSettings.CheckZone(CustomDomainName) is { } zoneProblem)
        {
            Fail("InvalidCustomDomainName", ErrorCategory.InvalidArgument, CustomDomainName, zoneProblem);
        }

        if (DnsForwarders.Check(CustomDnsIPAddresses) is { } problem)
        {
            Fail("InvalidCustomDnsIPAddress", ErrorCategory.InvalidArgument, CustomDnsIPAddresses, problem);
        }

        string zone = DnsServerSettings.CanonicalZone(CustomDomainName);
        string servers = string.Join(", ", CustomDnsIPAddresses.Select(a => a.ToString()));
        if (!ShouldProcess($"DNS zone {zone}", $"Forward to {servers}"))
        {
            return;
        }

        Progress(new ProgressRecord(1, "Register-CustomDnsServer", $"Forwarding {zone} and reloading the DNS role"));
        DnsServerSettingsReply set = Ask<DnsServerSettingsReply>(
            new RegisterCustomDnsServerRequest(zone, [.. CustomDnsIPAddresses.Select(a => a.ToString())], TimeoutInSecs));
        CompleteProgress(1, "Register-CustomDnsServer");
        WriteObject(GetAzSDnsServerSettingsCommand.DnsServerSettingsInfoFrom(set));
    }
}
