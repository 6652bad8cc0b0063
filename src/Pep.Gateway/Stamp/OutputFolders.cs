using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Platform;

namespace Pep.Gateway.Stamp;

/// <summary>
/// The folders log collections write to, made by the gateway: a new folder (0750) under the folder the operator named,
/// which must lie under one of the deployment's allowed output roots once canonicalised (symbolic links resolved,
/// <c>..</c> removed), or, when none is named, under the first root.
/// </summary>
[SuppressMessage("Security", "CA3003", Justification = "The user's path is canonicalised and checked against the deployment's allowed roots before use.")]
internal static class OutputFolders
{
    /// <summary>The new folder, or null and the failure that says why the request is refused.</summary>
    public static BrokerFailure? TryCreate(DeploymentConfig config, string? requested, string namePrefix, DateTimeOffset now, out string folder)
    {
        folder = string.Empty;
        if (Check(config, requested, out string resolved) is { } refused)
        {
            return refused;
        }

        folder = Path.Combine(resolved, Name(namePrefix, now));
        PrivateDirectory.CreateGroupReadable(folder);
        return null;
    }

    /// <summary>The canonical folder <paramref name="requested"/> names (default the first root), or null and why it is refused; nothing is made.</summary>
    public static BrokerFailure? Check(DeploymentConfig config, string? requested, out string resolvedFolder)
    {
        resolvedFolder = string.Empty;
        requested ??= config.AllowedOutputRoots.Count > 0 ? config.AllowedOutputRoots[0] : null;
        if (requested is null)
        {
            return new BrokerFailure("NoOutputRoot", BrokerErrorCategory.InvalidOperation, "This deployment allows no local output (allowedOutputRoots in deployment.json is empty).", null);
        }

        string? resolved = AllowedRoots.Resolve(requested, config.AllowedOutputRoots);
        if (resolved is null)
        {
            return new BrokerFailure("OutputPathNotAllowed", BrokerErrorCategory.PermissionDenied,
                $"'{requested}' is not under an allowed output folder. Allowed: {string.Join(", ", config.AllowedOutputRoots)}.", requested);
        }

        if (!Directory.Exists(resolved))
        {
            return new BrokerFailure("OutputPathNotFound", BrokerErrorCategory.ObjectNotFound, $"The folder '{requested}' does not exist.", requested);
        }

        resolvedFolder = resolved;
        return null;
    }

    /// <summary>A private folder in the instance's runtime directory, where archives wait for their copy to a share.</summary>
    public static string CreateStaging(StateLayout layout, string instance, string namePrefix, DateTimeOffset now)
    {
        string folder = Path.Combine(layout.RuntimeDirectory(instance), Name(namePrefix, now));
        PrivateDirectory.Create(folder);
        return folder;
    }

    private static string Name(string prefix, DateTimeOffset now)
        => $"{prefix}-{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..6]}";
}
