using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pep.Core.Stamp.Settings;
using Pep.Core.Syslog;

namespace Pep.Gateway.Syslog;

/// <summary>
/// One connection to the syslog server: TCP with TLS (the versions the system allows, 1.2 and 1.3 on Debian 12; the server's certificate checked against the machine's trust
/// store and the server's name, unless the setting opts out), plain TCP, or UDP. A stream connection keeps a read
/// pending, because a syslog server never sends anything: the read ends when the server closes the connection, and
/// the next send then reconnects instead of writing into a dead socket (where the first write would seem to succeed
/// and its message be lost).
/// </summary>
internal sealed class SyslogConnection : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly Stream? _stream;
    private volatile bool _closed;

    private SyslogConnection(Socket socket, Stream? stream)
    {
        _socket = socket;
        _stream = stream;
        if (stream is not null)
        {
            _ = WatchForCloseAsync(stream);
        }
    }

    /// <summary>False once the server has closed the connection (or it failed).</summary>
    public bool IsOpen => !_closed;

    public static async Task<SyslogConnection> OpenAsync(SyslogServerSetting server, X509Certificate2? clientCertificate, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(ConnectTimeout);
        bool udp = server.Transport == SyslogTransport.Udp;
        var socket = new Socket(udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(server.ServerName, server.ServerPort, timeout.Token);
            if (udp)
            {
                return new SyslogConnection(socket, null);
            }

            var network = new NetworkStream(socket, ownsSocket: false);
            if (server.Transport == SyslogTransport.Tcp)
            {
                return new SyslogConnection(socket, network);
            }

            var tls = new SslStream(network, leaveInnerStreamOpen: false);
            SslPolicyErrors refused = SslPolicyErrors.None;
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = server.ServerName,
                    ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                    RemoteCertificateValidationCallback = (_, _, _, errors) =>
                    {
                        refused = errors;
                        return Acceptable(server, errors);
                    },
                }, timeout.Token);
            }
            catch (AuthenticationException e) when (refused != SslPolicyErrors.None && !Acceptable(server, refused))
            {
                await tls.DisposeAsync();
                throw new AuthenticationException($"the server's certificate was refused ({refused})", e);
            }
            catch
            {
                await tls.DisposeAsync();
                throw;
            }

            return new SyslogConnection(socket, tls);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The server's certificate as the setting asks: checked in full, without its name (-SkipCNCheck), or not at all (-SkipCertificateCheck).</summary>
    public static bool Acceptable(SyslogServerSetting server, SslPolicyErrors errors)
    {
        if (server.SkipCertificateCheck)
        {
            return true;
        }

        if (server.SkipCNCheck)
        {
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }

        return errors == SslPolicyErrors.None;
    }

    public async Task SendAsync(string message, CancellationToken cancellation)
    {
        if (_closed)
        {
            throw new IOException("The syslog server closed the connection.");
        }

        if (_stream is null)
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message), SocketFlags.None, cancellation);
            return;
        }

        await _stream.WriteAsync(SyslogFrame.OctetCounted(message), cancellation);
        await _stream.FlushAsync(cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        _socket.Dispose();
    }

    private async Task WatchForCloseAsync(Stream stream)
    {
        byte[] buffer = new byte[512];
        try
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
                // A syslog server has nothing to say; whatever it sends is read and ignored.
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // The connection failed or was disposed: closed either way.
        }

        _closed = true;
    }
}
