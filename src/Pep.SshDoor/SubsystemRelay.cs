using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Pep.Core.Contracts;

namespace Pep.SshDoor;

/// <summary>
/// The session's side of the SSH door: runs as sshd's forced command, so it starts for every session sshd opens,
/// whatever the client asked. Only the powershell subsystem goes on: its PSRP lines are relayed, one WebSocket
/// text message a line, over the instance's session socket, where the gateway runs the session as it runs an
/// HTTPS one. A shell or a command is refused here. The gateway takes the login from the kernel, never from this
/// program: from the socket's peer (its process and the sshd connection above it); what it passes on first is what sshd
/// set in its environment (the connection's addresses, and the locale the client sent, which the gateway validates).
/// </summary>
internal static class SubsystemRelay
{
    public static async Task<int> RunAsync(string socketPath)
    {
        if (Environment.GetEnvironmentVariable("SSH_ORIGINAL_COMMAND") != SshDoorProtocol.SubsystemCommand)
        {
            Console.Error.WriteLine($"This endpoint offers the '{SshDoorProtocol.SubsystemName}' subsystem only: no shell and no command. Connect with Enter-PSSession -HostName <address> -Port <port> -UserName <user>.");
            return 1;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"The endpoint's gateway does not answer ({e.SocketErrorCode}).");
            return 2;
        }

        using WebSocket gateway = WebSocket.CreateFromStream(new NetworkStream(socket, ownsSocket: false), new WebSocketCreationOptions { IsServer = false });
        // First what sshd set for this session: the gateway runs as another account and cannot read it from /proc.
        string hello = SshDoorProtocol.Request(SshDoorProtocol.HelloVerb, Environment.GetEnvironmentVariable("SSH_CONNECTION") ?? "",
            Environment.GetEnvironmentVariable("LC_ALL") ?? "", Environment.GetEnvironmentVariable("LANG") ?? "").TrimEnd('\n');
        await gateway.SendAsync(Encoding.UTF8.GetBytes(hello), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        using var done = new CancellationTokenSource();
        Task toGateway = StdinToGatewayAsync(gateway, done.Token);
        int exitCode = await GatewayToStdoutAsync(gateway);
        await done.CancelAsync();
        return exitCode;
    }

    private static async Task StdinToGatewayAsync(WebSocket gateway, CancellationToken cancellationToken)
    {
        using var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        try
        {
            while (await stdin.ReadLineAsync(cancellationToken) is { } line)
            {
                await gateway.SendAsync(Encoding.UTF8.GetBytes(line), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }

            // The client closed its side (the session's end): say so, and the gateway ends the session as for a closed WebSocket.
            await gateway.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "Client closed.", cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The gateway ended the session first; its reason is printed by the other half.
        }
    }

    /// <summary>Writes each message as one line; at the gateway's close, says why when it was not a normal end.</summary>
    private static async Task<int> GatewayToStdoutAsync(WebSocket gateway)
    {
        await using Stream stdout = Console.OpenStandardOutput();
        var message = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                WebSocketReceiveResult result = await gateway.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return Closed(gateway);
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    message.WriteByte((byte)'\n');
                    await stdout.WriteAsync(message.GetBuffer().AsMemory(0, (int)message.Length));
                    await stdout.FlushAsync();
                    message.SetLength(0);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            Console.Error.WriteLine("The connection to the endpoint's gateway was lost.");
            return 2;
        }
    }

    private static int Closed(WebSocket gateway)
    {
        if (gateway.CloseStatus is WebSocketCloseStatus.NormalClosure)
        {
            return 0;
        }

        Console.Error.WriteLine(gateway.CloseStatusDescription ?? "The endpoint ended the session.");
        return 1;
    }
}
