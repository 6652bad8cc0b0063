using System.Management.Automation;
using Pep.Core.Deployment;
using Pep.Core.Stamp.Manifest;

namespace Pep.SessionModule.Session;

/// <summary>Get-AzureStackStampInformation: the stamp's identity and endpoints, including the endpoint instances.</summary>
[Cmdlet(VerbsCommon.Get, "AzureStackStampInformation")]
[OutputType(typeof(StampInformation))]
public sealed class GetAzureStackStampInformationCommand : EndpointCmdlet
{
    protected override void EndProcessing()
    {
        DeploymentConfig config = LoadDeployment();

        StampInformation information = StampInformation.From(config, Session.Identity.Instance);
        WriteObject(WithManifestEndpoints(information));
    }

    /// <summary>The published endpoints the stamp manifest declares, when it declares any, replace the conventional names.</summary>
    private static StampInformation WithManifestEndpoints(StampInformation information)
    {
        if (!File.Exists(Session.Layout.StampManifest))
        {
            return information;
        }

        try
        {
            IReadOnlyList<ExternalEndpoint> endpoints = StampManifest.Load(Session.Layout.StampManifest).ExternalEndpoints;
            string[] admin = [.. endpoints.Where(e => string.Equals(e.Audience, "Admin", StringComparison.OrdinalIgnoreCase)).Select(e => e.Url)];
            string[] tenant = [.. endpoints.Where(e => string.Equals(e.Audience, "Tenant", StringComparison.OrdinalIgnoreCase)).Select(e => e.Url)];
            return information with
            {
                AdminExternalEndpoints = admin.Length > 0 ? admin : information.AdminExternalEndpoints,
                TenantExternalEndpoints = tenant.Length > 0 ? tenant : information.TenantExternalEndpoints,
            };
        }
        catch (StampManifestException)
        {
            return information;
        }
    }
}
