// The bench compiles this file with Add-Type, outside the project: it needs its own nullable context and usings
// (in the project, the implicit usings make some of them redundant).
#nullable enable
#pragma warning disable IDE0005
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Pep.EndToEnd.Tests.Infrastructure.Hosts;

/// <summary>
/// A bare WebSocket login attempt, for tests that need many failed logins quickly (the pwsh client takes
/// seconds to start). Returns the gateway's HTTP status and X-Pep-Error; a successful login's socket is closed.
/// Given a <c>source</c>, the connection leaves from that local address (any 127.0.0.x on loopback), as a
/// client on another machine would. Given a <c>query</c> (such as <c>?uiCulture=…</c>), it is appended to the
/// endpoint's path as a client sends it.
/// </summary>
public static class RawLogin
{
    public static async Task<(HttpStatusCode Status, string? Failure)> AttemptAsync(string address, int port, string thumbprint, string user, string password, IPAddress? source = null, string query = "")
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && MatchesPin(certificate.GetCertHash(HashAlgorithmName.SHA256), thumbprint) },
            ConnectCallback = (context, cancellationToken) => ConnectFromAsync(source, context.DnsEndPoint, cancellationToken),
        };
        using var invoker = new HttpMessageInvoker(handler);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await socket.ConnectAsync(new Uri($"wss://{address}:{port}/PrivilegedEndpoint{query}"), invoker, timeout.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            return (HttpStatusCode.SwitchingProtocols, null);
        }
        catch (WebSocketException)
        {
            string? failure = socket.HttpResponseHeaders is { } headers && headers.TryGetValue("X-Pep-Error", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
            return (socket.HttpStatusCode, failure);
        }
    }

    /// <summary>A TCP connection to <paramref name="target"/> from <paramref name="source"/> (any local port), or from wherever the system picks.</summary>
    public static async ValueTask<Stream> ConnectFromAsync(IPAddress? source, DnsEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(target, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static bool MatchesPin(byte[] hash, string thumbprint) => string.Equals(Convert.ToHexString(hash), thumbprint, StringComparison.OrdinalIgnoreCase);
}
