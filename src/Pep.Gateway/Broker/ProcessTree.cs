using System.Globalization;
using Pep.Core.Platform;

namespace Pep.Gateway.Broker;

/// <summary>Processes' parents and owners as <c>/proc</c> shows them.</summary>
internal static class ProcessTree
{
    /// <summary>Deeper than any session host's launcher chain (nice, a namespace helper, pwsh).</summary>
    private const int MaxDepth = 32;

    /// <summary>
    /// True when <paramref name="pid"/> is <paramref name="ancestor"/> or one of its descendants. A session host may be
    /// started through a launcher (so the host's pwsh is a child of the process the gateway started), and an elevated
    /// session's own programs are its children: all of them act for that session and no other.
    /// </summary>
    public static bool IsSelfOrDescendant(int pid, int ancestor)
    {
        for (int depth = 0; depth < MaxDepth && pid > 1; depth++)
        {
            if (pid == ancestor)
            {
                return true;
            }

            if (ProcessStat.Read(pid) is not { } stat)
            {
                return false;
            }

            pid = stat.Parent;
        }

        return false;
    }

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUid()
    {
        // "Uid:\t<real>\t<effective>\t<saved>\t<filesystem>"
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
    }
}
