namespace Pep.Core.Stamp;

/// <summary>
/// Checks a path a session user typed against the deployment's allowed output roots: made absolute,
/// with every symbolic link along it resolved, it must be a root or lie below one.
/// </summary>
public static class AllowedPath
{
    private const int MaxLinkDepth = 32;

    /// <summary>The canonical path, or null when it lies outside every root (or no root is configured).</summary>
    public static string? Resolve(string userPath, IEnumerable<string> allowedRoots)
    {
        if (string.IsNullOrWhiteSpace(userPath) || userPath.Contains('\0', StringComparison.Ordinal) || !Path.IsPathFullyQualified(userPath))
        {
            return null;
        }

        string candidate = Canonical(userPath, 0);
        foreach (string root in allowedRoots)
        {
            if (!Path.IsPathFullyQualified(root))
            {
                continue;
            }

            string canonicalRoot = Canonical(root, 0).TrimEnd('/');
            if (candidate == canonicalRoot || candidate.StartsWith(canonicalRoot + "/", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The absolute path with "." and ".." removed and each existing symbolic link replaced by its target.</summary>
    public static string Canonical(string path, int depth)
    {
        if (depth > MaxLinkDepth)
        {
            throw new IOException($"Too many symbolic links under '{path}'.");
        }

        string full = Path.GetFullPath(path);
        string current = "/";
        foreach (string part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                string absoluteTarget = Path.IsPathFullyQualified(target) ? target : Path.Combine(current, target);
                next = Canonical(absoluteTarget, depth + 1);
            }

            current = next;
        }

        return current;
    }
}
