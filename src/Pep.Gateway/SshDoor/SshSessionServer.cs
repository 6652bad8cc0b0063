using System.Globalization;
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
/// counts for nothing: its uid must be the sessions' account, its login is found from its process ancestry, and its
/// client's address (<c>SSH_CONNECTION</c>) and culture are read from the environment sshd gave it (<c>LC_ALL</c>, else <c>LANG</c>; en-US when neither names a
/// culture .NET knows).
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

        CultureInfo culture = CultureName.FromPosixLocale(PeerProcess.EnvironmentVariable(peer.Pid, "LC_ALL"))
            ?? CultureName.FromPosixLocale(PeerProcess.EnvironmentVariable(peer.Pid, "LANG"))
            ?? CultureInfo.GetCultureInfo(WireProtocol.DefaultCulture);
        string user = AccountName.TryParse(login.User, domain, out _)!.Qualified(domain);
        // sshd sets SSH_CONNECTION ("client port server port") for every session; no client can set it (AcceptEnv).
        string address = PeerProcess.EnvironmentVariable(peer.Pid, "SSH_CONNECTION")?.Split(' ')[0] is { Length: > 0 } connected ? connected : login.ClientAddress;
        await starter.RunAsync(client, user, address, new HostCultures(culture, culture), LoginAdmission.StartWaiting());
    }
}
