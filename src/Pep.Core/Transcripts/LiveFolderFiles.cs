using Pep.Core.Platform;

namespace Pep.Core.Transcripts;

/// <summary>
/// What sealing takes from a live transcript folder, which the session host can write anything into: the regular
/// files in it and its subfolders, opened without following a symbolic link or waiting on a FIFO
/// (<see cref="NoFollowFile"/>), and what it refused and why (symbolic links, FIFOs, sockets, devices, files over
/// <see cref="MaxFileBytes"/>), which the sealed file reports.
/// </summary>
public static class LiveFolderFiles
{
    /// <summary>A file larger than this (256 MiB) is not copied into the sealed transcript; the sealed file says so.</summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>Bounds a folder filled with names to slow the seal: past this many entries the rest are reported, not read.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>One regular file of the live folder, by its path relative to the folder.</summary>
    public sealed record Entry(string RelativePath, string FullPath);

    /// <summary>The candidate files (ordered by relative path) and the refusals found while walking.</summary>
    public static (IReadOnlyList<Entry> Files, IReadOnlyList<string> Refused) Walk(string folder)
    {
        var files = new List<Entry>();
        var refused = new List<string>();
        if (!Directory.Exists(folder))
        {
            refused.Add("(the live transcript folder is missing: the session's own records were removed)");
            return (files, refused);
        }

        var pending = new Stack<string>([folder]);
        int seen = 0;
        while (pending.Count > 0)
        {
            string directory = pending.Pop();
            foreach (FileSystemInfo info in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                string relative = Path.GetRelativePath(folder, info.FullName);
                if (++seen > MaxEntries)
                {
                    refused.Add($"(more than {MaxEntries} entries: the rest were not read)");
                    return (Sorted(files), refused);
                }

                if (info.LinkTarget is { } target)
                {
                    refused.Add($"{relative}: a symbolic link to {target}: not followed");
                }
                else if (info is DirectoryInfo)
                {
                    pending.Push(info.FullName);
                }
                else
                {
                    files.Add(new Entry(relative, info.FullName));
                }
            }
        }

        return (Sorted(files), refused);
    }

    /// <summary>Opens one file as <see cref="NoFollowFile"/> does; null with the refusal (naming the file) when it is not read.</summary>
    public static FileStream? Open(Entry entry, List<string> refused)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(refused);
        FileStream? stream = NoFollowFile.OpenRegular(entry.FullPath, MaxFileBytes, out string? refusal);
        if (stream is null)
        {
            refused.Add($"{entry.RelativePath}: {refusal}");
        }

        return stream;
    }

    private static List<Entry> Sorted(List<Entry> files) => [.. files.OrderBy(f => f.RelativePath, StringComparer.Ordinal)];
}
