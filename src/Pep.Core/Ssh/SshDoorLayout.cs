using System.Security.Cryptography;
using System.Text;
using Pep.Core.Deployment;

namespace Pep.Core.Ssh;

/// <summary>
/// Where one instance's SSH front door keeps its files. The host key, sshd_config and the link sshd runs through
/// live in the instance's folder of the state directory (root only). The sockets live under <c>/run/pep-ssh</c>:
/// the session socket must be reachable by the unprivileged account sessions run as under sshd, which cannot
/// enter the state directory. <see cref="Id"/> names the instance on the machine (several deployments may run).
/// </summary>
public sealed class SshDoorLayout
{
    /// <summary>Where every instance's sockets live, one folder each.</summary>
    public const string RuntimeRoot = "/run/pep-ssh";

    /// <summary>Where Debian's PAM reads service files: sshd's PAM service is the name it runs under.</summary>
    public const string PamDirectory = "/etc/pam.d";

    public SshDoorLayout(StateLayout layout, string instance)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Directory = Path.Combine(layout.InstanceDirectory(instance), "ssh");
        Id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(layout.InstanceDirectory(instance))))[..12];
    }

    /// <summary>Twelve hex digits of the instance folder's path: unique on the machine, short enough for socket paths.</summary>
    public string Id { get; }

    public string Directory { get; }

    public string HostKey => Path.Combine(Directory, "ssh_host_ed25519_key");

    public string HostPublicKey => HostKey + ".pub";

    public string ConfigFile => Path.Combine(Directory, "sshd_config");

    /// <summary>
    /// A symbolic link to sshd that sshd is started through: OpenSSH 9.2 names its PAM service after the program it
    /// runs as (its <c>__progname</c>; <c>PAMServiceName</c> came only in 9.8), so each instance gets a PAM service of its own.
    /// </summary>
    public string DaemonLink => Path.Combine(Directory, PamServiceName);

    public string PamServiceName => "pep-sshd-" + Id;

    public string PamServiceFile => Path.Combine(PamDirectory, PamServiceName);

    public string RuntimeDirectory => Path.Combine(RuntimeRoot, Id);

    /// <summary>Root only: sshd's helpers ask here for password checks and keys.</summary>
    public string AuthSocket => Path.Combine(RuntimeDirectory, "auth.sock");

    /// <summary>Sessions connect here (the group of the sessions' account may connect; the gateway checks who).</summary>
    public string SessionSocket => Path.Combine(RuntimeDirectory, "session.sock");

    /// <summary>
    /// The names of the store's accounts, one a line, written by the gateway for the door's keeper, which makes them
    /// exist for sshd (<see cref="ExtraUsersFile"/>). In the gateway's runtime folder: the keeper only reads it.
    /// </summary>
    public string AccountNamesFile => Path.Combine(RuntimeDirectory, "accounts");

    /// <summary>
    /// What the door's keeper (root) says about the sshd it runs (<see cref="SshDoorKeeperStatus"/>): in root's own
    /// folder, beside the instances' folders, so that nothing but root can write it; readable by the gateway.
    /// </summary>
    public string KeeperStatusFile => Path.Combine(RuntimeRoot, Id + ".keeper");
}
