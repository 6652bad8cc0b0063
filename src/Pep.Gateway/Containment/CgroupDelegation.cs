using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Pep.Core.Platform;

namespace Pep.Gateway.Containment;

/// <summary>
/// What <c>pep serve</c> does as root, before it drops to the gateway's account, so that the gateway can still make,
/// join and kill its sessions' cgroups without root: it makes the instance's cgroup folder
/// (<see cref="SessionCgroups"/>), a leaf <see cref="GatewayLeaf"/> in it, gives both (and their <c>cgroup.procs</c>,
/// <c>cgroup.threads</c>, <c>cgroup.subtree_control</c>) to the gateway's account, as the kernel's cgroup v2
/// delegation asks and as systemd's <c>Delegate=yes</c> does, and moves its own process into the leaf. Moving a
/// process between cgroups needs write access to the <c>cgroup.procs</c> of their common ancestor: the instance's
/// folder, now the gateway's. Session accounts own none of it, so a host cannot leave its session's cgroup.
/// Where it fails (no cgroup v2, a read-only hierarchy) nothing is changed: the gateway then finds no writable
/// hierarchy and says that containment is off (event 1601).
/// </summary>
[SuppressMessage("Security", "CA3003", Justification = "Paths are built from the cgroup mount, this process's own cgroup, a hash of the state folder and the instance name.")]
public static class CgroupDelegation
{
    /// <summary>The leaf the gateway's own process lives in, beside its sessions' cgroups (named so that no session id can take it).</summary>
    public const string GatewayLeaf = "gateway";

    private static readonly string[] DelegatedFiles = ["cgroup.procs", "cgroup.threads", "cgroup.subtree_control"];

    /// <summary>Delegates the instance's cgroup folder to <paramref name="uid"/> and moves this process into its gateway leaf; false when it could not.</summary>
    public static bool DelegateTo(string stateDirectory, string instance, int uid, int gid)
    {
        if (CgroupV2.MountPoint() is not { } mount)
        {
            return false;
        }

        string folder = Path.Combine(mount + SessionCgroups.OwnCgroupPath(), SessionCgroups.InstanceFolderName(stateDirectory, instance));
        string leaf = Path.Combine(folder, GatewayLeaf);
        try
        {
            Directory.CreateDirectory(leaf);
            foreach (string delegated in new[] { folder, leaf })
            {
                PosixOwnership.Change(delegated, uid, gid);
                foreach (string file in DelegatedFiles)
                {
                    PosixOwnership.Change(Path.Combine(delegated, file), uid, gid);
                }
            }

            File.WriteAllText(Path.Combine(leaf, "cgroup.procs"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
