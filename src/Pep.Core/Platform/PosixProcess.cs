using System.Globalization;
using System.Runtime.InteropServices;

namespace Pep.Core.Platform;

/// <summary>What .NET has no API for about processes it did not start: the parent's id, a polite SIGTERM, and whether one still runs.</summary>
public static partial class PosixProcess
{
    private const int SigTerm = 15;

    /// <summary>This process's parent; it changes (to 1 or a subreaper) when the parent ends.</summary>
    public static int ParentId => getppid();

    /// <summary>Asks a process to end (SIGTERM); false when it is gone or may not be signalled.</summary>
    public static bool Terminate(int pid) => pid > 1 && kill(pid, SigTerm) == 0;

    /// <summary>True while the process runs: it exists and is neither a zombie nor dead (<c>/proc/&lt;pid&gt;/stat</c>).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            // The state follows the command name, which is in parentheses and may itself hold spaces or ')'.
            int end = stat.LastIndexOf(')');
            return end > 0 && end + 2 < stat.Length && stat[end + 2] is not ('Z' or 'X' or 'x');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc")]
    private static partial int getppid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
