namespace Pep.Core.Platform;

/// <summary>
/// Writes a file so that a reader sees the old contents or the new, never half of them: the contents go to a
/// temporary file beside it, synced to disk, which is then renamed over it (a rename within a folder is atomic).
/// </summary>
public static class AtomicFile
{
    /// <summary>Mode 0644: readable by others, as a file written with File.WriteAllText under the usual umask.</summary>
    public const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Mode 0600: secrets, and what only the service account may read.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WriteAllText(string path, string contents, UnixFileMode mode = Readable, string temporarySuffix = ".tmp")
        => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(contents), mode, temporarySuffix);

    public static void WriteAllLines(string path, IEnumerable<string> lines, UnixFileMode mode = Readable)
        => WriteAllText(path, string.Concat(lines.Select(line => line + "\n")), mode);

    /// <param name="path">The file to replace or create.</param>
    /// <param name="contents">All of its new contents.</param>
    /// <param name="mode">The temporary file is created with it, before any byte is written.</param>
    /// <param name="temporarySuffix">The temporary file's name is the target's with this suffix (a leftover one is replaced).</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> contents, UnixFileMode mode = Readable, string temporarySuffix = ".tmp")
    {
        string temporary = path + temporarySuffix;
        File.Delete(temporary);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
        };
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }

        if (new FileInfo(temporary).Length != contents.Length)
        {
            throw new IOException($"'{temporary}' was not written completely.");
        }

        File.Move(temporary, path, overwrite: true);
    }
}
