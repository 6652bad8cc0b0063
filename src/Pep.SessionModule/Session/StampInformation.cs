using Pep.Core.Deployment;
using Pep.Core.Stamp.Manifest;

namespace Pep.SessionModule.Session;

/// <summary>
/// The stamp's identity as Get-AzureStackStampInformation reports it. The original's properties keep its names and
/// shapes (named endpoint properties, emergency console addresses without ports); this endpoint's own come after
/// them: StampName, EmergencyConsoleEndpoints (address:port), EmergencyConsoleInstances, CurrentInstance and
/// PublishedEndpoints (every endpoint the stamp manifest declares).
/// </summary>
public sealed record StampInformation(
    Guid CloudID,
    Guid DeploymentID,
    string RegionName,
    string ExternalDomainFQDN,
    string DomainFQDN,
    string DomainNetBIOSName,
    AdminExternalEndpoints AdminExternalEndpoints,
    TenantExternalEndpoints TenantExternalEndpoints,
    string[] EmergencyConsoleIPAddresses,
    int NumberOfNodes,
    string StampVersion,
    string Timezone,
    string StampName,
    string[] EmergencyConsoleEndpoints,
    string[] EmergencyConsoleInstances,
    string CurrentInstance,
    ExternalEndpoint[] PublishedEndpoints)
{
    /// <param name="config">The deployment: identity and instances.</param>
    /// <param name="currentInstance">The instance this session runs on.</param>
    /// <param name="manifest">The stamp manifest, when it can be read: its nodes and published endpoints.</param>
    public static StampInformation From(DeploymentConfig config, string currentInstance, StampManifest? manifest)
    {
        ArgumentNullException.ThrowIfNull(config);
        StampIdentity stamp = config.Stamp;
        string external = $"{stamp.RegionName}.{stamp.ExternalDomainFqdn}";
        IReadOnlyList<ExternalEndpoint> published = manifest?.ExternalEndpoints ?? [];
        string Url(string audience, string propertyName, string conventionalName)
            => published.FirstOrDefault(e => string.Equals(e.Audience, audience, StringComparison.OrdinalIgnoreCase)
                    && (string.Equals(e.Name, conventionalName, StringComparison.OrdinalIgnoreCase) || string.Equals(e.Name, propertyName, StringComparison.OrdinalIgnoreCase)))?.Url
                ?? $"https://{conventionalName}.{external}/";

        return new StampInformation(
            stamp.CloudId,
            stamp.DeploymentId,
            stamp.RegionName,
            stamp.ExternalDomainFqdn,
            stamp.DomainFqdn,
            stamp.DomainNetBiosName,
            new AdminExternalEndpoints(Url("Admin", "AdminPortal", "adminportal"), Url("Admin", "AdminResourceManager", "adminmanagement")),
            new TenantExternalEndpoints(Url("Tenant", "TenantPortal", "portal"), Url("Tenant", "TenantResourceManager", "management")),
            [.. config.Instances.Select(i => i.Address)],
            manifest?.Nodes.Count ?? 0,
            stamp.StampVersion,
            stamp.Timezone,
            stamp.Name,
            [.. config.Instances.Select(i => $"{i.Address}:{i.Port}")],
            [.. config.Instances.Select(i => i.Name)],
            currentInstance,
            [.. published]);
    }
}
