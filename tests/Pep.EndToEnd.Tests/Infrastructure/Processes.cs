using System.Globalization;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>What /proc tells about a process: its children, command line, uid, capabilities and mounts.</summary>
public static class Processes
{
    public static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out int pid) && TryRead(Path.Combine(folder, "stat")) is { } stat
                && int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture) == parent)
            {
                children.Add(pid);
            }
        }

        return children;
    }

    public static string CommandLine(int pid) => TryRead($"/proc/{pid}/cmdline")?.Replace('\0', ' ') ?? "";

    /// <summary>A line's value in /proc/pid/status (<c>NoNewPrivs</c>, <c>CapBnd</c>, …).</summary>
    public static string Status(int pid, string key)
        => File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim();

    /// <summary>The effective uid: the second field of the Uid line of /proc/pid/status.</summary>
    public static int EffectiveUid(int pid) => int.Parse(Status(pid, "Uid").Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>The capability bounding set, one bit a capability.</summary>
    public static ulong BoundingSet(int pid) => ulong.Parse(Status(pid, "CapBnd"), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>"ro" or "rw": how the mount a path lies on is mounted in the process's mount namespace (the last mount over it wins).</summary>
    public static string MountOptions(int pid, string path)
    {
        string[] mount = File.ReadLines($"/proc/{pid}/mountinfo").Select(line => line.Split(' '))
            .Where(fields => path == fields[4] || path.StartsWith(fields[4].TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderBy(fields => fields[4].Length).Last();
        return mount[5].Split(',')[0];
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
