namespace Pep.Core.Shares;

/// <summary>
/// Decides whether a local or mounted path may be a transcript destination: absolute, without '..', and,
/// once every symbolic link on it is resolved, inside one of the deployment's allowed roots (themselves
/// resolved). A session user must not be able to make the service account write anywhere else.
/// </summary>
public static class AllowedRoots
{
    public static string? Resolve(string requested, IReadOnlyList<string> roots, out string? error)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
        {
            error = @"This endpoint sends transcripts only to file shares (\\host\share\folder); it allows no local folder.";
            return null;
        }

        if (!Path.IsPathFullyQualified(requested))
        {
            error = "A local destination must be an absolute path.";
            return null;
        }

        if (requested.Split('/').Any(part => part == ".."))
        {
            error = "A destination may not contain '..'.";
            return null;
        }

        if (requested.AsSpan().ContainsAny('\0', '\n', '\r'))
        {
            error = "A destination may not contain control characters.";
            return null;
        }

        string resolved;
        try
        {
            resolved = RealPath(Path.GetFullPath(requested));
        }
        catch (IOException e)
        {
            error = $"The destination cannot be resolved: {e.Message}";
            return null;
        }

        foreach (string root in roots)
        {
            string realRoot = RealPath(Path.GetFullPath(root)).TrimEnd('/');
            if (string.Equals(resolved, realRoot, StringComparison.Ordinal) || resolved.StartsWith(realRoot + "/", StringComparison.Ordinal))
            {
                error = null;
                return resolved;
            }
        }

        error = $"'{requested}' is not under a transcript root this deployment allows ({string.Join(", ", roots)}).";
        return null;
    }

    /// <summary>The path with every symbolic link on it resolved; parts that do not exist yet are kept as given.</summary>
    public static string RealPath(string fullPath)
    {
        string current = "/";
        foreach (string part in fullPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                FileSystemInfo? target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is not null)
                {
                    next = RealPath(Path.GetFullPath(target.FullName));
                }
            }

            current = next;
        }

        return current;
    }
}
