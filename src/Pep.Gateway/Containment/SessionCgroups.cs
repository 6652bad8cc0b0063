using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Pep.Core.Platform;

namespace Pep.Gateway.Containment;

/// <summary>
/// One cgroup (v2) per session, under a folder of this instance inside the gateway's own cgroup. The gateway makes
/// each session's cgroup before the host starts, the host's first instruction moves it in
/// (<see cref="HostLaunchCommand"/>), and everything the host starts is born inside: <c>&amp;</c>, <c>setsid</c>,
/// <c>nohup</c>, a double fork change a process's parent or session, never its cgroup. At the session's end the
/// gateway writes <c>cgroup.kill</c> (the kernel sends SIGKILL to every process inside, as one) and removes the
/// folder. The folders belong to the gateway's account; a session never owns one.
/// Null from <see cref="TryOpen"/> where no writable cgroup v2 hierarchy with <c>cgroup.kill</c> exists: the
/// gateway then runs without containment and says so (log and <c>/health</c>).
/// </summary>
[SuppressMessage("Security", "CA3003", Justification = "Paths are built from the cgroup mount, the gateway's own cgroup, a hash of the state folder, the instance name and server-made GUIDs.")]
internal sealed class SessionCgroups
{
    private const string KillFile = "cgroup.kill";

    /// <summary>How long the gateway waits for the kernel to have ended every process of a killed cgroup (normally under a millisecond).</summary>
    private static readonly TimeSpan EmptyWait = TimeSpan.FromSeconds(5);

    private readonly string _instanceFolder;

    private SessionCgroups(string instanceFolder) => _instanceFolder = instanceFolder;

    /// <summary>The folder of this instance's session cgroups.</summary>
    public string Folder => _instanceFolder;

    /// <summary>
    /// The cgroups of one instance of one deployment (two deployments on one machine may both have an ERCS01: the
    /// folder's name carries a hash of the state folder too). Null, with the reason, where containment is not available.
    /// </summary>
    public static SessionCgroups? TryOpen(string stateDirectory, string instance, out string problem)
    {
        string? mount = CgroupV2.MountPoint();
        if (mount is null)
        {
            problem = "no cgroup v2 hierarchy is mounted";
            return null;
        }

        string own = OwnCgroupPath();
        string name = InstanceFolderName(stateDirectory, instance);
        // pep serve started as root delegated the instance's folder to the gateway's account and put the gateway in
        // its leaf (CgroupDelegation): the sessions' cgroups go beside that leaf.
        string folder = Path.GetFileName(own) == CgroupDelegation.GatewayLeaf && Path.GetFileName(Path.GetDirectoryName(own)) == name
            ? mount + Path.GetDirectoryName(own)
            : Path.Combine(mount + own, name);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"the cgroup v2 hierarchy at {mount} cannot be written ({e.Message})";
            return null;
        }

        if (!File.Exists(Path.Combine(folder, KillFile)))
        {
            problem = $"the kernel's cgroup v2 has no {KillFile} (Linux 5.14 or later)";
            return null;
        }

        problem = "";
        return new SessionCgroups(folder);
    }

    /// <summary>The name of an instance's folder: two deployments on one machine may both have an ERCS01, so it carries a hash of the state folder.</summary>
    internal static string InstanceFolderName(string stateDirectory, string instance)
        => $"pep-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(stateDirectory))))[..12]}-{instance.ToLowerInvariant()}";

    /// <summary>Makes a session's cgroup (empty) and returns it.</summary>
    public SessionCgroup Create(Guid sessionId)
    {
        string path = Path.Combine(_instanceFolder, sessionId.ToString("N"));
        if (Directory.Exists(path))
        {
            // Left by a previous run with the same id (a warm host's id is reused by a cold host that replaces it).
            new SessionCgroup(path).KillAndRemove();
        }

        Directory.CreateDirectory(path);
        return new SessionCgroup(path);
    }

    /// <summary>
    /// Kills and removes what a previous run of this instance left (a gateway killed with sessions open leaves their
    /// hosts running in their cgroups); no session of this run exists yet. Returns how many it removed.
    /// </summary>
    public int KillLeftovers()
    {
        int removed = 0;
        foreach (string folder in Directory.EnumerateDirectories(_instanceFolder))
        {
            if (Guid.TryParseExact(Path.GetFileName(folder), "N", out _))
            {
                new SessionCgroup(folder).KillAndRemove();
                removed++;
            }
        }

        return removed;
    }

    /// <summary>At the gateway's stop, once its sessions are gone: removes the instance's folder (a session's cgroup still in it keeps it).</summary>
    public void RemoveFolder()
    {
        try
        {
            Directory.Delete(_instanceFolder);
        }
        catch (IOException)
        {
            // Not empty: what is left is killed at the next start.
        }
    }

    internal static TimeSpan KillWait => EmptyWait;

    /// <summary>The gateway's own cgroup in the v2 hierarchy (<c>0::/path</c> in /proc/self/cgroup): a session's cgroup is made below it.</summary>
    internal static string OwnCgroupPath()
    {
        foreach (string line in File.ReadLines("/proc/self/cgroup"))
        {
            if (line.StartsWith("0::", StringComparison.Ordinal))
            {
                return line[3..].TrimEnd('/');
            }
        }

        return "";
    }
}
