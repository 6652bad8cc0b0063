using Pep.Core.Platform;

namespace Pep.Core.Shares;

/// <summary>
/// The deployment's list of places transcripts may go (<c>transcripts.allowedDestinations</c>): a session user
/// may not send every pending transcript of the instance to a share of their choosing. A share destination
/// must be a listed share or lie under one (host, share and folders compared without case, as SMB does); a
/// local one must resolve, links followed, to a listed folder or under one.
/// </summary>
public static class AllowedDestinations
{
    /// <summary>Null when <paramref name="share"/> may be used; otherwise why not.</summary>
    public static string? RefuseShare(SmbPath share, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(share);
        ArgumentNullException.ThrowIfNull(allowed);
        if (allowed.Count == 0)
        {
            return null;
        }

        foreach (string entry in allowed.Where(SmbPath.LooksLikeShare))
        {
            if (SmbPath.TryParse(entry, out SmbPath? listed, out _) && Covers(listed, share))
            {
                return null;
            }
        }

        return Refusal(share.ToString(), allowed);
    }

    /// <summary>Null when the local <paramref name="requested"/> folder may be used; otherwise why not.</summary>
    public static string? RefuseLocal(string requested, IReadOnlyList<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (allowed.Count == 0)
        {
            return null;
        }

        string[] folders = [.. allowed.Where(entry => !SmbPath.LooksLikeShare(entry))];
        return folders.Length > 0 && AllowedRoots.Resolve(requested, folders, out _) is not null ? null : Refusal(requested, allowed);
    }

    private static bool Covers(SmbPath listed, SmbPath share)
        => string.Equals(listed.Host, share.Host, StringComparison.OrdinalIgnoreCase)
           && string.Equals(listed.Share, share.Share, StringComparison.OrdinalIgnoreCase)
           && listed.Folder.Count <= share.Folder.Count
           && listed.Folder.Select((folder, i) => string.Equals(folder, share.Folder[i], StringComparison.OrdinalIgnoreCase)).All(same => same);

    private static string Refusal(string destination, IReadOnlyList<string> allowed)
        => $"'{destination}' is not a destination this deployment allows for transcripts; transcripts.allowedDestinations in deployment.json lists: {string.Join(", ", allowed)}.";
}
