using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Pep.Core.Contracts;
using Pep.Gateway.Admission;

namespace Pep.Gateway.Login;

/// <summary>A client of the HTTPS front door: refusals are HTTP answers (<see cref="Refusal"/>), the session a WebSocket upgrade.</summary>
internal sealed class HttpSessionClient(HttpContext context, RefusalLog refusals) : ISessionClient
{
    public CancellationToken Aborted => context.RequestAborted;

    public Task RefuseAsync(FailureKind failure, string message) => Refusal.SendAsync(context, failure, message, refusals);

    public Task<WebSocket> AcceptAsync() => context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false });
}
