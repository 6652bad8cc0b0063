using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Pep.Gateway.SshDoor;

/// <summary>
/// Who is at the other end of a local socket, as the kernel says (SO_PEERCRED), and what /proc says about that
/// process and its ancestors. The SSH door knows its callers this way, never by what they write.
/// </summary>
internal sealed record PeerProcess(int Pid, int Uid, int Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static PeerProcess Of(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        byte[] credentials = new byte[12];
        socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        return new PeerProcess(
            BinaryPrimitives.ReadInt32LittleEndian(credentials), BinaryPrimitives.ReadInt32LittleEndian(credentials.AsSpan(4)),
            BinaryPrimitives.ReadInt32LittleEndian(credentials.AsSpan(8)));
    }

    /// <summary>
    /// A process's parent and its start time (clock ticks since boot, /proc/PID/stat field 22): a pid together with its
    /// start time names one process, even after the pid is reused. Null when the process is gone.
    /// </summary>
    public static (int Parent, long StartTime)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold anything: count fields after its last ')'.
        string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19
            && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parent)
            && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start)
            ? (parent, start) : null;
    }

    /// <summary>One variable of the environment the process was started with (as sshd set it), or null.</summary>
    public static string? EnvironmentVariable(int pid, string name)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string prefix = name + "=";
        return Encoding.UTF8.GetString(environ).Split('\0').FirstOrDefault(entry => entry.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }
}
