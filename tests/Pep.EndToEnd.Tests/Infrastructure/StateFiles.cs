using Pep.Core.Platform;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The text of every regular file below a folder of the state, for tests that look for secrets everywhere. Never
/// blocks and never fails on what a running deployment keeps there besides files: the .NET runtime of every live session
/// host has its debugger FIFOs and diagnostic socket in the host's TMPDIR (its runtime folder), and opening such a FIFO
/// for reading waits for a writer forever (it hung whole end-to-end runs); sockets, links, and files removed while the
/// folder is walked are skipped too.
/// </summary>
public static class StateFiles
{
    public static IEnumerable<(string Path, string Text)> RegularFiles(string root, long maxBytes = 4 * 1024 * 1024)
    {
        foreach (string path in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            string? text = null;
            try
            {
                using FileStream? file = NoFollowFile.OpenRegular(path, maxBytes, out _);
                if (file is not null)
                {
                    using var reader = new StreamReader(file);
                    text = reader.ReadToEnd();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Removed or closed to us while we looked: nothing to read.
            }

            if (text is not null)
            {
                yield return (path, text);
            }
        }
    }
}
