using Pep.Core.Deployment;
using Pep.Core.Platform;

namespace Pep.Core.Support;

/// <summary>Registers a support authority's public bundle with a deployment (at <c>pep init</c>, or later to replace it).</summary>
public static class SupportAuthorityRegistration
{
    /// <summary>Checks the bundle and writes it, replacing any earlier one atomically. Returns the bundle's key id.</summary>
    /// <exception cref="FormatException">The file is not a usable bundle; nothing was changed.</exception>
    public static string Register(StateLayout layout, string bundlePath)
    {
        string json = File.ReadAllText(bundlePath);
        using SupportAuthorityBundle bundle = SupportAuthorityBundle.Parse(json);
        if (!File.Exists(layout.ConfigFile))
        {
            throw new DeploymentException($"No deployment at '{layout.Root}'. Run 'pep init' first.");
        }

        AtomicFile.WriteAllText(layout.SupportAuthorityBundle, bundle.ToJson());
        return bundle.KeyId;
    }
}
