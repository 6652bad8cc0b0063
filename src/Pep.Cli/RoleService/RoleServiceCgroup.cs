using System.Globalization;
using Pep.Core.Platform;

namespace Pep.Cli.RoleService;

/// <summary>
/// The demo stamp's stand-in for a service manager's cgroup. A real stamp's start command hands its role to the
/// service manager (systemd puts every unit in a cgroup of its own), so a role keeps running when the session that
/// started it ends. <c>pep role-service start</c> is that service manager here: it moves the role service it started
/// out of the caller's cgroup (the session's, which the gateway kills at the session's end) into one of the role
/// services'. Where the hierarchy is not writable (no containment either), the service stays where it is.
/// </summary>
internal static class RoleServiceCgroup
{
    private const string Folder = "pep-role-services";

    public static void Adopt(int processId)
    {
        if (CgroupV2.MountPoint() is not { } mount)
        {
            return;
        }

        try
        {
            string cgroup = Path.Combine(mount, Folder);
            Directory.CreateDirectory(cgroup);
            File.WriteAllText(Path.Combine(cgroup, "cgroup.procs"), processId.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"The role service stays in its caller's cgroup: {e.Message}");
        }
    }
}
