using System.IO.Compression;

namespace Pep.Core.Stamp.Logs;

/// <summary>
/// Copies a role's log files into one zip archive. A file still being written is read consistently: up to
/// the length it had when opened, sharing it with its writer.
/// </summary>
public static class LogArchiver
{
    public static async Task<LogArchiveResult> ArchiveAsync(string role, IReadOnlyList<LogFile> files, string archivePath,
        IProgress<LogProgress> progress, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        long bytes = 0;
        int done = 0;
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        };
        using (var output = new FileStream(archivePath, options))
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create))
        {
            foreach (LogFile file in files)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    missing.Add(file.Path + " (not collected: timed out)");
                    continue;
                }

                try
                {
                    bytes += await CopyAsync(zip, file, cancellationToken);
                    done++;
                }
                catch (OperationCanceledException)
                {
                    missing.Add(file.Path + " (not collected: timed out)");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    missing.Add($"{file.Path} (unreadable: {e.Message})");
                }

                progress.Report(new LogProgress(role, file.Path, done + missing.Count, files.Count));
            }
        }

        return new LogArchiveResult(role, archivePath, done, bytes, missing, missing.Count == 0);
    }

    private static async Task<long> CopyAsync(ZipArchive zip, LogFile file, CancellationToken cancellationToken)
    {
        await using var source = new FileStream(file.Path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.SequentialScan,
        });
        long length = source.Length;
        // Fastest (zlib-ng's level 1): on text logs about three times the speed of Optimal for archives about a
        // third larger (bench/README.md, measurement 5); an operator waits for the collection, a share stores it.
        ZipArchiveEntry entry = zip.CreateEntry(file.EntryName.TrimStart('/'), CompressionLevel.Fastest);
        entry.LastWriteTime = File.GetLastWriteTimeUtc(file.Path);
        await using Stream target = entry.Open();
        byte[] buffer = new byte[81920];
        long remaining = length;
        while (remaining > 0)
        {
            int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            remaining -= read;
        }

        return length - remaining;
    }
}
