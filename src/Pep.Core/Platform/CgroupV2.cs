namespace Pep.Core.Platform;

/// <summary>Where the cgroup v2 hierarchy is mounted, for the gateway's containment and the demo stamp's role services.</summary>
public static class CgroupV2
{
    /// <summary>The mount point of the cgroup v2 hierarchy (<c>/sys/fs/cgroup</c> on a v2-only system, <c>/sys/fs/cgroup/unified</c> on a hybrid one), or null.</summary>
    public static string? MountPoint()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/mounts"))
            {
                string[] fields = line.Split(' ');
                if (fields.Length > 2 && fields[2] == "cgroup2")
                {
                    return fields[1];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }
}
