using System.Security;
using Pep.Core.Deployment;
using Pep.Core.Platform;

namespace Pep.Core.Shares;

/// <summary>Turns what the operator typed into a destination, or refuses it with the reason.</summary>
public static class DestinationFactory
{
    public static ITranscriptDestination Create(string destination, string? userName, SecureString? password, TranscriptSettings settings, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(settings);
        if (SmbPath.LooksLikeShare(destination))
        {
            if (!SmbPath.TryParse(destination, out SmbPath? path, out string? error))
            {
                throw new DestinationException(DestinationFailure.NotAllowed, error);
            }

            if (AllowedDestinations.RefuseShare(path, settings.AllowedDestinations) is { } shareNotListed)
            {
                throw new DestinationException(DestinationFailure.NotAllowed, shareNotListed);
            }

            if (userName is null || password is null)
            {
                throw new DestinationException(DestinationFailure.AccessDenied, "A share destination needs -Credential (the account that may write to the share).");
            }

            string smbclient = string.IsNullOrEmpty(settings.SmbClientPath) ? "smbclient" : settings.SmbClientPath;
            return new SmbDestination(path, new ShareCredential(userName, password), smbclient, settings.SmbPort,
                TimeSpan.FromSeconds(settings.SmbOperationTimeoutSeconds), workDirectory);
        }

        string? resolved = AllowedRoots.Resolve(destination, settings.Roots, out string? rootError);
        if (resolved is null)
        {
            throw new DestinationException(DestinationFailure.NotAllowed, rootError!);
        }

        return AllowedDestinations.RefuseLocal(destination, settings.AllowedDestinations) is { } notListed
            ? throw new DestinationException(DestinationFailure.NotAllowed, notListed)
            : new LocalDestination(destination, resolved, settings.Roots);
    }
}
