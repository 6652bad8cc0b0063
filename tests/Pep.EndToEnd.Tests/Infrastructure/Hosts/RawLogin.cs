using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Pep.EndToEnd.Tests.Infrastructure.Hosts;

/// <summary>
/// A bare WebSocket login attempt, for tests that need many failed logins quickly (the pwsh client takes
/// seconds to start). Returns the gateway's HTTP status and X-Pep-Error; a successful login's socket is closed.
/// </summary>
public static class RawLogin
{
    public static async Task<(HttpStatusCode Status, string? Failure)> AttemptAsync(string address, int port, string thumbprint, string user, string password)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && string.Equals(Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)), thumbprint, StringComparison.OrdinalIgnoreCase);
        socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(new Uri($"wss://{address}:{port}/PrivilegedEndpoint"), timeout.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            return (HttpStatusCode.SwitchingProtocols, null);
        }
        catch (WebSocketException)
        {
            string? failure = socket.HttpResponseHeaders is { } headers && headers.TryGetValue("X-Pep-Error", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
            return (socket.HttpStatusCode, failure);
        }
    }
}
