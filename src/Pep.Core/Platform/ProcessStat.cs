using System.Globalization;

namespace Pep.Core.Platform;

/// <summary>
/// A process's parent and its start time as <c>/proc/PID/stat</c> shows them (fields 4 and 22). A pid together with
/// its start time (clock ticks since boot) names one process, even after the pid is reused.
/// </summary>
public readonly record struct ProcessStat(int Parent, long StartTime)
{
    /// <summary>The process's stat, or null when it is gone (or not readable).</summary>
    public static ProcessStat? Read(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": the command name may hold spaces and parentheses, so count fields after its last ')'.
        string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19
            && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parent)
            && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
            ? new ProcessStat(parent, start) : null;
    }
}
