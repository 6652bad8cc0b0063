using System.Net.WebSockets;
using Pep.Core.Contracts;

namespace Pep.Gateway.Login;

/// <summary>
/// A logged-in client as <see cref="SessionStarter"/> needs it, whichever front door it came through: the HTTPS
/// WebSocket (<see cref="HttpSessionClient"/>) or the SSH door's local socket (<c>SshDoor/SshSessionClient</c>).
/// </summary>
internal interface ISessionClient
{
    /// <summary>The client's connection went away.</summary>
    CancellationToken Aborted { get; }

    /// <summary>Refuses the session before it exists, saying why.</summary>
    Task RefuseAsync(FailureKind failure, string message);

    /// <summary>The channel the session's PSRP lines travel on, one text message a line.</summary>
    Task<WebSocket> AcceptAsync();
}
