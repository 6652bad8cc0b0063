using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Pep.Core.Contracts;

namespace Pep.ClientModule.Transport;

/// <summary>
/// The client's end of the wire: a WebSocket to the gateway carrying one PSRP line per text message.
/// Connecting authenticates (Basic, inside TLS); a refusal comes back as the gateway's failure name and text.
/// </summary>
internal sealed class WebSocketLineChannel : IDisposable
{
    private const int MaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>How long an instance that accepted the connection may take to answer the login (<see cref="LoginTimings"/>).</summary>
    public static readonly TimeSpan LoginAllowance = LoginTimings.ClientLoginAllowance;

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;

    private WebSocketLineChannel(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    /// <summary>
    /// The legal notice the gateway handed over with the session (<see cref="LegalNoticeHeaders"/>: empty caption and
    /// text when there is none); null when it handed none over, and the client must ask for it.
    /// </summary>
    public DeliveredLegalNotice? LegalNotice { get; private init; }

    /// <summary>The re-login ticket the gateway answered the login with (<see cref="ReloginTicketHeaders"/>); null when it gave none.</summary>
    public byte[]? ReloginTicket { get; private init; }

    public static async Task<WebSocketLineChannel> ConnectAsync(PepConnectionInfo info, CancellationToken cancellationToken)
    {
        bool established = false;
        var handler = new SocketsHttpHandler
        {
            // Bounds TCP and the TLS handshake; the answer to the login has its own allowance.
            ConnectTimeout = info.ConnectTimeout,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    established = info.CertificatePolicy.Validate(certificate, chain, errors),
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        socket.Options.SetRequestHeader("Authorization", BasicHeader(info));
        if (info.PresentedReloginTicket is { } ticket)
        {
            socket.Options.SetRequestHeader(ReloginTicketHeaders.Ticket, ReloginTicketHeaders.Encode(ticket));
        }

        Uri uri = info.Address.SessionUri(info.Culture.Name.Length > 0 ? info.Culture.Name : WireProtocol.DefaultCulture, info.UICulture.Name.Length > 0 ? info.UICulture.Name : WireProtocol.DefaultCulture);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(info.ConnectTimeout + LoginAllowance);
        try
        {
            await socket.ConnectAsync(uri, invoker, timeout.Token);
            return new WebSocketLineChannel(socket, invoker)
            {
                LegalNotice = DeliveredLegalNotice.From(socket.HttpResponseHeaders),
                ReloginTicket = ReceivedTicket(socket.HttpResponseHeaders),
            };
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException or IOException)
        {
            PepTransportException failure = Describe(info, socket, e, cancellationToken.IsCancellationRequested, established);
            socket.Dispose();
            invoker.Dispose();
            throw failure;
        }
    }

    /// <summary>Sends one PSRP line.</summary>
    public Task SendAsync(string line, CancellationToken cancellationToken)
        => _socket.SendAsync(Encoding.UTF8.GetBytes(line), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>Receives one PSRP line; null when the gateway closed the session normally.</summary>
    public async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.CloseStatus is WebSocketCloseStatus.NormalClosure or null)
                    {
                        return null;
                    }

                    throw new PepTransportException(FailureKind.SessionEnded, _socket.CloseStatusDescription is { Length: > 0 } reason
                        ? reason
                        : $"The endpoint ended the session ({_socket.CloseStatus}).");
                }

                if (message.Length + result.Count > MaxMessageBytes)
                {
                    throw new PepTransportException(FailureKind.ProtocolViolation, "The endpoint sent a message larger than the client accepts.");
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "Client closed the session.", cancellationToken);
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _invoker.Dispose();
    }

    private static string BasicHeader(PepConnectionInfo info)
    {
        NetworkCredential credential = info.Credential?.GetNetworkCredential()
            ?? throw new PepTransportException(FailureKind.InvalidCredential, "A credential is required.");
        string user = string.IsNullOrEmpty(credential.Domain) ? credential.UserName : $"{credential.Domain}\\{credential.UserName}";
        byte[] bytes = Encoding.UTF8.GetBytes($"{user}:{credential.Password}");
        try
        {
            return "Basic " + Convert.ToBase64String(bytes);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    private static PepTransportException Describe(PepConnectionInfo info, ClientWebSocket socket, Exception error, bool cancelled, bool established)
    {
        string where = info.Address.ToString();
        if (socket.HttpStatusCode != 0 && socket.HttpResponseHeaders is { } headers)
        {
            FailureKind failure = Enum.TryParse(First(headers, WireProtocol.ErrorHeader), out FailureKind named) && Enum.IsDefined(named) ? named : FailureKind.Refused;
            string message = First(headers, WireProtocol.MessageHeader) ?? $"The endpoint answered HTTP {(int)socket.HttpStatusCode}.";
            return new PepTransportException(failure, $"{where}: {message}", error);
        }

        if (info.CertificatePolicy.LastRefusal is { } refusal)
        {
            return new PepTransportException(FailureKind.UntrustedCertificate,
                $"{where}: the connection was refused because {refusal}. If you trust this endpoint, compare that thumbprint with the one 'pep init' printed on the endpoint host and connect with -CertificateThumbprint <thumbprint>, or name the issuing CA with -CertificateAuthorityPath.",
                error);
        }

        if (cancelled)
        {
            return new PepTransportException(FailureKind.Cancelled, $"{where}: connecting was cancelled.", error);
        }

        if (error is OperationCanceledException || Innermost(error) is TimeoutException)
        {
            return established
                ? new PepTransportException(FailureKind.Timeout, $"{where}: the instance accepted the connection but did not answer the login within {LoginAllowance.TotalSeconds:0} seconds.", error)
                : new PepTransportException(FailureKind.Timeout, $"{where}: no answer within {info.ConnectTimeout.TotalSeconds:0.#} seconds.", error);
        }

        return new PepTransportException(FailureKind.Unreachable, $"{where}: {Innermost(error).Message}", error);
    }

    /// <summary>The ticket in the upgrade's answer; null when there is none or it is not one (the next login then verifies the password).</summary>
    private static byte[]? ReceivedTicket(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
        => headers is not null && ReloginTicketHeaders.Decode(First(headers, ReloginTicketHeaders.Ticket)) is { Length: ReloginTicketHeaders.TicketBytes } ticket ? ticket : null;

    private static string? First(IReadOnlyDictionary<string, IEnumerable<string>> headers, string name)
        => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
