using System.Globalization;

namespace Pep.Core.Platform;

/// <summary>
/// A process's state, parent and start time as <c>/proc/PID/stat</c> shows them (fields 3, 4 and 22). A pid together
/// with its start time (clock ticks since boot) names one process, even after the pid is reused.
/// </summary>
public readonly record struct ProcessStat(string State, int Parent, long StartTime)
{
    /// <summary>True for a process that has ended but not been reaped (zombie) or is dying: it runs nothing more.</summary>
    public bool HasEnded => State is "Z" or "X" or "x";

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
            ? new ProcessStat(fields[0], parent, start) : null;
    }
}
