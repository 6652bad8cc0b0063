namespace Pep.Core.Platform;

/// <summary>
/// The one check of a path a session user gives against the deployment's allowed roots (log output, PFX
/// folders, transcript destinations): made absolute, with every symbolic link along it resolved, it must be a
/// root or lie below one (the roots resolved the same way). A session user must not be able to make the service
/// account read or write anywhere else.
/// </summary>
public static class AllowedRoots
{
    private const int MaxLinkDepth = 32;

    /// <summary>The canonical path, or null when it is not absolute or lies outside every root (or no root is configured).</summary>
    public static string? Resolve(string userPath, IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        if (string.IsNullOrWhiteSpace(userPath) || userPath.Contains('\0', StringComparison.Ordinal) || !Path.IsPathFullyQualified(userPath))
        {
            return null;
        }

        string candidate = Canonical(userPath);
        foreach (string root in roots)
        {
            if (!Path.IsPathFullyQualified(root))
            {
                continue;
            }

            string canonicalRoot = Canonical(root).TrimEnd('/');
            if (candidate == canonicalRoot || candidate.StartsWith(canonicalRoot + "/", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// As <see cref="Resolve(string, IEnumerable{string})"/> for a transcript destination, stricter (no '..' at all,
    /// no line breaks) and saying why a path is refused.
    /// </summary>
    public static string? Resolve(string requested, IReadOnlyList<string> roots, out string? error)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(roots);
        error = roots.Count == 0 ? @"This endpoint sends transcripts only to file shares (\\host\share\folder); it allows no local folder."
            : !Path.IsPathFullyQualified(requested) ? "A local destination must be an absolute path."
            : requested.Split('/').Any(part => part == "..") ? "A destination may not contain '..'."
            : requested.AsSpan().ContainsAny('\0', '\n', '\r') ? "A destination may not contain control characters."
            : null;
        if (error is not null)
        {
            return null;
        }

        string? resolved;
        try
        {
            resolved = Resolve(requested, roots);
        }
        catch (IOException e)
        {
            error = $"The destination cannot be resolved: {e.Message}";
            return null;
        }

        error = resolved is null ? $"'{requested}' is not under a transcript root this deployment allows ({string.Join(", ", roots)})." : null;
        return resolved;
    }

    /// <summary>The absolute path with "." and ".." removed and each existing symbolic link replaced by its target; parts that do not exist yet are kept as given.</summary>
    public static string Canonical(string path) => Canonical(path, 0);

    private static string Canonical(string path, int depth)
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
