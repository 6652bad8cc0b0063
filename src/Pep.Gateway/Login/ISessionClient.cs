using System.Net.WebSockets;
using Pep.Core.Contracts;
using Pep.Core.Stamp.Settings;

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

    /// <summary>Whether the client shows the legal notice handed to it with the session (<see cref="LegalNoticeHeaders"/>).</summary>
    bool ShowsLegalNotice { get; }

    /// <summary>
    /// The channel the session's PSRP lines travel on, one text message a line; <paramref name="notice"/>, when not null,
    /// goes with it for the client to show (only when <see cref="ShowsLegalNotice"/>).
    /// </summary>
    Task<WebSocket> AcceptAsync(LegalNotice? notice);
}
