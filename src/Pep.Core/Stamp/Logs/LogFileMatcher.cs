using System.Text.RegularExpressions;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Stamp.Logs;

/// <summary>A log file found for a collection: where it is and the name it gets inside the archive.</summary>
public sealed record LogFile(string Path, string EntryName, long LengthAtScan);

/// <summary>Finds the files of log sources that match their pattern, node filter and date window.</summary>
public static class LogFileMatcher
{
    public static IReadOnlyList<LogFile> Find(IEnumerable<LogSource> sources, IReadOnlyCollection<string>? nodes, LogWindow window, string defaultNode)
    {
        var found = new List<LogFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (LogSource source in sources)
        {
            string node = source.Node ?? defaultNode;
            if (nodes is { Count: > 0 } && !nodes.Contains(node, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (FileInfo file in Enumerate(source))
            {
                if (window.Covers(file.CreationTimeUtc, file.LastWriteTimeUtc) && seen.Add(file.FullName))
                {
                    found.Add(new LogFile(file.FullName, node + file.FullName, file.Length));
                }
            }
        }

        return found;
    }

    private static IEnumerable<FileInfo> Enumerate(LogSource source)
    {
        if (File.Exists(source.Path))
        {
            return [new FileInfo(source.Path)];
        }

        if (!Directory.Exists(source.Path))
        {
            return [];
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = source.Recursive,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            MatchType = MatchType.Simple,
        };
        Regex pattern = GlobToRegex(source.Pattern);
        return new DirectoryInfo(source.Path).EnumerateFiles("*", options).Where(f => pattern.IsMatch(f.Name));
    }

    /// <summary>A file-name glob: <c>*</c> any run of characters, <c>?</c> one character, everything else literal.</summary>
    public static Regex GlobToRegex(string glob)
    {
        string body = Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal);
        return new Regex("^" + body + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }
}
