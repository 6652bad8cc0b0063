using System.Management.Automation;
using Pep.Core.Deployment;
using Pep.Core.Stamp.Manifest;

namespace Pep.SessionModule.Session;

/// <summary>
/// Get-AzureStackStampInformation: the stamp's identity and endpoints, with the original's property names and shapes,
/// plus this endpoint's instances. Endpoint names come from the stamp manifest when it declares them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AzureStackStampInformation")]
[OutputType(typeof(StampInformation))]
public sealed class GetAzureStackStampInformationCommand : EndpointCmdlet
{
    protected override void EndProcessing()
    {
        DeploymentConfig config = LoadDeployment();
        WriteObject(StampInformation.From(config, Session.Identity.Instance, TryLoadManifest()));
    }

    /// <summary>The manifest when there is a readable one: the stamp's identity is reported without it.</summary>
    private static StampManifest? TryLoadManifest()
    {
        if (!File.Exists(Session.Layout.StampManifest))
        {
            return null;
        }

        try
        {
            return StampManifest.Load(Session.Layout.StampManifest);
        }
        catch (StampManifestException)
        {
            return null;
        }
    }
}
