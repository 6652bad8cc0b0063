using System.Diagnostics.CodeAnalysis;
using System.Text;
using Pep.Core.Deployment;
using Pep.Core.Platform;

namespace Pep.Gateway.Broker;

/// <summary>
/// Where a session's broker socket lives and who may reach it: the one place for both. Each session has its own
/// folder in the instance's runtime folder, <c>runtime/b/&lt;session id, 24 hex digits&gt;/s</c> (short: a socket's
/// path has at most 107 bytes). The gateway's account owns the folders and the socket. Without separation (hosts
/// run as the gateway's account) the folder is 0700 and the socket 0600. With separation the way in is by
/// ownership: <c>b/</c> is 0710 with the session group (entered, never listed), the session's folder 0710 and its
/// socket 0660 (connecting needs write permission) with the group of that session's own account, which no other
/// session account is in; so another session's host cannot even reach the socket, and the peer check
/// (<see cref="BrokerPeerPolicy"/>) refuses whatever does.
/// </summary>
[SuppressMessage("Security", "CA3003", Justification = "Paths are built from the state directory, the instance name and a server-made GUID.")]
internal static class BrokerSocketPath
{
    /// <summary>sun_path holds 108 bytes with its terminating zero.</summary>
    private const int MaxPathBytes = 107;

    /// <summary>96 bits of the session id: unique among an instance's sessions, and short.</summary>
    private const int SessionDigits = 24;

    private const string Folder = "b";

    public static string For(StateLayout layout, string instance, Guid sessionId)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Path.Combine(layout.RuntimeDirectory(instance), Folder, sessionId.ToString("N")[..SessionDigits], "s");
    }

    /// <summary>Fails at the gateway's start, not at each login, when the state directory is too long for the sockets' paths.</summary>
    public static void CheckFits(StateLayout layout, string instance)
    {
        string longest = For(layout, instance, Guid.Empty);
        if (Encoding.UTF8.GetByteCount(longest) > MaxPathBytes)
        {
            throw new DeploymentException($"The sessions' broker sockets ('{longest}') would be longer than a Unix socket's {MaxPathBytes} bytes; use a state directory at least {Encoding.UTF8.GetByteCount(longest) - MaxPathBytes} characters shorter.");
        }
    }

    private const UnixFileMode Entered = PrivateDirectory.Mode | UnixFileMode.GroupExecute;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Makes the session's folder and removes a socket a previous run left at the path; with <paramref name="access"/>,
    /// the folders are entered by their groups (see the type's summary).
    /// </summary>
    public static void Prepare(string socketPath, BrokerSocketAccess? access)
    {
        string folder = Path.GetDirectoryName(socketPath)!;
        PrivateDirectory.Create(folder);
        if (access is not null)
        {
            Give(Path.GetDirectoryName(folder)!, access.SessionGroupId, Entered);
            Give(folder, access.HostGroupId, Entered);
        }

        File.Delete(socketPath);
    }

    /// <summary>Once bound: only the socket's owner, and with <paramref name="access"/> the host's own group, may connect.</summary>
    public static void Restrict(string socketPath, BrokerSocketAccess? access)
    {
        if (access is null)
        {
            File.SetUnixFileMode(socketPath, OwnerOnly);
            return;
        }

        Give(socketPath, access.HostGroupId, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
    }

    private static void Give(string path, int gid, UnixFileMode mode)
    {
        PosixOwnership.ChangeGroup(path, gid);
        File.SetUnixFileMode(path, mode);
    }

    /// <summary>Removes the socket and the session's folder.</summary>
    public static void Delete(string socketPath)
    {
        string folder = Path.GetDirectoryName(socketPath)!;
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Removes the folders a previous run of the instance left; no session of this run exists yet.</summary>
    public static void DeleteLeftovers(StateLayout layout, string instance)
    {
        ArgumentNullException.ThrowIfNull(layout);
        string root = Path.Combine(layout.RuntimeDirectory(instance), Folder);
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
