using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Pep.Core.Contracts;
using Pep.Core.Stamp.Settings;
using Pep.Gateway.Admission;

namespace Pep.Gateway.Login;

/// <summary>A client of the HTTPS front door: refusals are HTTP answers (<see cref="Refusal"/>), the session a WebSocket upgrade.</summary>
internal sealed class HttpSessionClient(HttpContext context, RefusalLog refusals) : ISessionClient
{
    /// <summary>The re-login ticket the login earned, handed over in the upgrade's answer (<see cref="ReloginTicketHeaders"/>); null: none.</summary>
    public byte[]? ReloginTicket { get; init; }

    public CancellationToken Aborted => context.RequestAborted;

    public Task RefuseAsync(FailureKind failure, string message) => Refusal.SendAsync(context, failure, message, refusals);

    /// <summary>The client module shows the notice it finds in the upgrade's answer (<see cref="LegalNoticeHeaders"/>).</summary>
    public bool ShowsLegalNotice => true;

    public Task<WebSocket> AcceptAsync(LegalNotice? notice)
    {
        if (notice is not null)
        {
            context.Response.Headers[LegalNoticeHeaders.Caption] = LegalNoticeHeaders.Encode(notice.Caption);
            context.Response.Headers[LegalNoticeHeaders.Text] = LegalNoticeHeaders.Encode(notice.Text);
        }

        if (ReloginTicket is { } ticket)
        {
            context.Response.Headers[ReloginTicketHeaders.Ticket] = ReloginTicketHeaders.Encode(ticket);
        }

        return context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false });
    }
}
