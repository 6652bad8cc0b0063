using System.Diagnostics.CodeAnalysis;
using System.Text;
using Pep.Core.Deployment;
using Pep.Core.Platform;

namespace Pep.Gateway.Broker;

/// <summary>
/// Where a session's broker socket lives and who may reach it: the one place for both. Each session has its own
/// folder in the instance's runtime folder, <c>runtime/broker/&lt;session id&gt;/socket</c>; the folder is mode 0700
/// and the socket 0600, owned by the account the session host runs as, so no other session's host can even connect.
/// </summary>
[SuppressMessage("Security", "CA3003", Justification = "Paths are built from the state directory, the instance name and a server-made GUID.")]
internal static class BrokerSocketPath
{
    /// <summary>sun_path holds 108 bytes with its terminating zero.</summary>
    private const int MaxPathBytes = 107;

    public static string For(StateLayout layout, string instance, Guid sessionId)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Path.Combine(layout.RuntimeDirectory(instance), "broker", sessionId.ToString("N"), "socket");
    }

    /// <summary>Makes the session's folder (mode 0700) and removes a socket a previous run left at the path.</summary>
    public static void Prepare(string socketPath)
    {
        if (Encoding.UTF8.GetByteCount(socketPath) > MaxPathBytes)
        {
            throw new PathTooLongException($"The broker socket path '{socketPath}' is longer than a Unix socket's {MaxPathBytes} bytes; use a shorter state directory.");
        }

        PrivateDirectory.Create(Path.GetDirectoryName(socketPath)!);
        File.Delete(socketPath);
    }

    /// <summary>Once bound: only the socket's owner may connect (connecting needs write permission on the socket).</summary>
    public static void Restrict(string socketPath) => File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

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
        string root = Path.Combine(layout.RuntimeDirectory(instance), "broker");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
