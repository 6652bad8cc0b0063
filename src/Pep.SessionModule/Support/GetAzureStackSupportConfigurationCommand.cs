using System.Management.Automation;
using System.Security.Cryptography;
using Pep.Core.Deployment;
using Pep.Core.Support;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Support;

/// <summary>
/// Get-AzureStackSupportConfiguration: the support authority registration the deployment holds (the vendor's public
/// bundle, <c>keys/support-authority.json</c>, registered with <c>pep authority register</c>), read fresh, with the
/// support settings of deployment.json. As the original, nothing when the stamp has no registration.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AzureStackSupportConfiguration")]
[OutputType(typeof(SupportConfiguration))]
public sealed class GetAzureStackSupportConfigurationCommand : EndpointCmdlet
{
    protected override void EndProcessing()
    {
        DeploymentConfig config = LoadDeployment();
        string path = Session.Layout.SupportAuthorityBundle;
        if (!File.Exists(path))
        {
            WriteInformation(new HostInformationMessage { Message = "No support authority is registered with this deployment ('pep authority register' on the endpoint host).", NoNewLine = false }, ["PSHOST"]);
            return;
        }

        SupportAuthorityBundle bundle;
        DateTime registered;
        try
        {
            registered = File.GetLastWriteTimeUtc(path);
            bundle = SupportAuthorityBundle.Load(path);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            Fail("SupportAuthorityUnreadable", ErrorCategory.ReadError, path, $"The registered support authority cannot be read: {e.Message}", e);
            return;
        }

        using (bundle)
        {
            WriteObject(new SupportConfiguration(bundle.KeyId, Fingerprint(bundle.EncryptionKey), Fingerprint(bundle.SigningKey),
                registered, config.Support.RequestLifetime, config.Support.MaxElevation, Session.Identity.Instance));
        }
    }

    private static string Fingerprint(RSA key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
}
