using Pep.Core.Deployment;

namespace Pep.SessionModule.Session;

/// <summary>The stamp's identity as Get-AzureStackStampInformation reports it; property names follow the original.</summary>
public sealed record StampInformation(
    Guid CloudID,
    Guid DeploymentID,
    string StampName,
    string RegionName,
    string ExternalDomainFQDN,
    string DomainFQDN,
    string DomainNetBIOSName,
    string[] AdminExternalEndpoints,
    string[] TenantExternalEndpoints,
    string[] EmergencyConsoleIPAddresses,
    string[] EmergencyConsoleInstances,
    string CurrentInstance,
    string StampVersion,
    string Timezone)
{
    public static StampInformation From(DeploymentConfig config, string currentInstance)
    {
        StampIdentity stamp = config.Stamp;
        string external = $"{stamp.RegionName}.{stamp.ExternalDomainFqdn}";
        return new StampInformation(
            stamp.CloudId,
            stamp.DeploymentId,
            stamp.Name,
            stamp.RegionName,
            stamp.ExternalDomainFqdn,
            stamp.DomainFqdn,
            stamp.DomainNetBiosName,
            [$"https://adminportal.{external}", $"https://adminmanagement.{external}"],
            [$"https://portal.{external}", $"https://management.{external}"],
            [.. config.Instances.Select(i => $"{i.Address}:{i.Port}")],
            [.. config.Instances.Select(i => i.Name)],
            currentInstance,
            stamp.StampVersion,
            stamp.Timezone);
    }
}
