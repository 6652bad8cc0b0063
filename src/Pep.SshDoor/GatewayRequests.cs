using System.Net.Sockets;
using System.Text;
using Pep.Core.Contracts;

namespace Pep.SshDoor;

/// <summary>
/// The two questions sshd's authentication asks, passed to the gateway over its root-only socket. The helper
/// decides nothing: the gateway checks the account store, the failed-login limits and the lockout, as it does for
/// the HTTPS door, and knows which sshd connection asks from the socket's peer (this process's parent).
/// </summary>
internal static class GatewayRequests
{
    /// <summary>pam_exec writes the password on stdin, ended by a NUL byte (or the end of input).</summary>
    public static async Task<int> CheckPasswordAsync(string socketPath)
    {
        string user = Environment.GetEnvironmentVariable("PAM_USER") ?? "";
        string client = Environment.GetEnvironmentVariable("PAM_RHOST") ?? "";
        string password = ReadPassword();
        string? answer = await AskAsync(socketPath, SshDoorProtocol.Request(SshDoorProtocol.PasswordVerb, user, client, password));
        return answer == SshDoorProtocol.Accepted ? 0 : answer is null ? 2 : 1;
    }

    /// <summary>Prints the account's keys, each with the options that leave the powershell subsystem only; nothing for any refusal.</summary>
    public static async Task<int> ListKeysAsync(string socketPath, string user)
    {
        string? answer = await AskAsync(socketPath, SshDoorProtocol.Request(SshDoorProtocol.KeysVerb, user));
        if (answer is null)
        {
            return 2;
        }

        Console.Out.Write(answer.Replace('\t', '\n'));
        return 0;
    }

    private static string ReadPassword()
    {
        using Stream stdin = Console.OpenStandardInput();
        var bytes = new List<byte>();
        int next;
        while (bytes.Count < 4096 && (next = stdin.ReadByte()) > 0)
        {
            bytes.Add((byte)next);
        }

        return Encoding.UTF8.GetString([.. bytes]).TrimEnd('\n');
    }

    /// <summary>One request, one answer line; null when the gateway cannot be reached (sshd then refuses).</summary>
    private static async Task<string?> AskAsync(string socketPath, string request)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadLineAsync();
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"pep-ssh-door: the endpoint's gateway does not answer ({e.SocketErrorCode}).");
            return null;
        }
    }
}
