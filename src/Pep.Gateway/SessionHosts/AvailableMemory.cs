using System.Globalization;

namespace Pep.Gateway.SessionHosts;

/// <summary>The kernel's estimate of memory available for new work (MemAvailable in /proc/meminfo).</summary>
internal static class AvailableMemory
{
    /// <summary>Bytes available, or null when the kernel does not say.</summary>
    public static long? Read() => Read("/proc/meminfo");

    /// <summary>The same from a file in /proc/meminfo's format (a seam for tests).</summary>
    internal static long? Read(string meminfo)
    {
        try
        {
            foreach (string line in File.ReadLines(meminfo))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    return Parse(line);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>Parses a line such as <c>MemAvailable:   23808000 kB</c>.</summary>
    public static long? Parse(string line)
    {
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 3 && parts[2] == "kB" && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kibibytes)
            ? kibibytes * 1024
            : null;
    }
}
