using System.Net.WebSockets;
using System.Text;
using Pep.Core.Contracts;
using Pep.Core.Stamp.Settings;
using Pep.Gateway.Login;

namespace Pep.Gateway.SshDoor;

/// <summary>
/// A client of the SSH door: the subsystem relay's connection on the session socket, which carries WebSocket frames
/// with no HTTP before them. A refusal is the close frame, whose reason the relay prints on the client's stderr.
/// </summary>
internal sealed class SshSessionClient(WebSocket socket) : ISessionClient
{
    /// <summary>A WebSocket close reason holds at most 123 bytes.</summary>
    private const int MaxCloseReasonBytes = 123;

    /// <summary>The relay's end shows as the end of its frames: the relay's halves see it, nothing else needs a token.</summary>
    public CancellationToken Aborted => CancellationToken.None;

    public async Task RefuseAsync(FailureKind failure, string message)
    {
        string reason = $"{failure}: {message}";
        while (Encoding.UTF8.GetByteCount(reason) > MaxCloseReasonBytes)
        {
            reason = reason[..^4] + "...";
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, reason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The relay is gone already: nobody is left to tell.
        }
    }

    /// <summary>Stock pwsh shows no notice: the SSH door hands it none.</summary>
    public bool ShowsLegalNotice => false;

    public Task<WebSocket> AcceptAsync(LegalNotice? notice) => Task.FromResult(socket);
}
