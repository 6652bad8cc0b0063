using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Core.Contracts;
using Pep.Core.Platform;
using Pep.Core.Sessions;
using Pep.Gateway.Login;
using Pep.Gateway.SessionHosts;

namespace Pep.Gateway.SshDoor;

/// <summary>
/// Takes the connections of the subsystem relay (<c>pep-ssh-door session</c>) on the session socket and runs each
/// as a session of the login sshd authenticated above it (<see cref="SshLoginTickets"/>), through the same
/// <see cref="SessionStarter"/> as an HTTPS session: same hosts, limits, transcripts and seal. The relay's own word
/// counts for nothing about who logged in: its uid must be the sessions' account, its login is found from its process ancestry. Its first message passes
/// on what sshd set in its environment: the connection (<c>SSH_CONNECTION</c>, for a key login's address) and the locale
/// the client sent (<c>LC_ALL</c>, else <c>LANG</c>; en-US when neither names a culture .NET knows).
/// </summary>
internal sealed class SshSessionServer(SessionStarter starter, SshLoginTickets tickets, string domain, int sessionUid, ILogger logger)
{
    public async Task HandleAsync(Socket connection)
    {
        using Socket socket = connection;
        PeerCredentials peer = PeerCredentials.Of(socket);
        using WebSocket channel = WebSocket.CreateFromStream(new NetworkStream(socket, ownsSocket: false),
            new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.FromSeconds(30) });
        var client = new SshSessionClient(channel);
        if (peer.Uid != sessionUid)
        {
            GatewayLog.SshDoorConnectionRefused(logger, "session", $"peer uid {peer.Uid} is not the SSH sessions' account");
            await client.RefuseAsync(FailureKind.InvalidCredential, "Not a session of this endpoint's SSH door.");
            return;
        }

        if (tickets.TakeFor(peer.Pid) is not { } login)
        {
            GatewayLog.SshDoorConnectionRefused(logger, "session", $"process {peer.Pid} runs under no login this gateway accepted");
            await client.RefuseAsync(FailureKind.InvalidCredential, "The login was not accepted by this endpoint.");
            return;
        }

        if (starter.IsFull)
        {
            await client.RefuseAsync(FailureKind.TooManySessions, starter.FullMessage);
            return;
        }

        // The relay's first message: what sshd set in its environment (the gateway, as another account, cannot read it).
        string[] hello = await ReceiveHelloAsync(channel) ?? ["", "", ""];
        CultureInfo culture = CultureName.FromPosixLocale(hello[1]) ?? CultureName.FromPosixLocale(hello[2])
            ?? CultureInfo.GetCultureInfo(WireProtocol.DefaultCulture);
        string user = AccountName.TryParse(login.User, domain, out _)!.Qualified(domain);
        // A password login's address is PAM's (the root helper's PAM_RHOST); a key login's is sshd's SSH_CONNECTION
        // ("client port server port"), which no client can set (AcceptEnv names only the locale).
        string address = IPAddress.TryParse(login.ClientAddress, out _) ? login.ClientAddress
            : hello[0].Split(' ')[0] is { Length: > 0 } connected && IPAddress.TryParse(connected, out _) ? connected : login.ClientAddress;
        await starter.RunAsync(client, user, address, new HostCultures(culture, culture), LoginAdmission.StartWaiting());
    }

    /// <summary>The relay's hello (connection, LC_ALL, LANG), or null when its first message is not one (within 10 s, 4 KiB).</summary>
    private static async Task<string[]?> ReceiveHelloAsync(WebSocket channel)
    {
        byte[] buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            ValueWebSocketReceiveResult received = await channel.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            return received is { MessageType: WebSocketMessageType.Text, EndOfMessage: true }
                   && SshDoorProtocol.ParseRequest(System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count)) is (SshDoorProtocol.HelloVerb, { Length: 3 } fields)
                ? fields
                : null;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            return null;
        }
    }
}
