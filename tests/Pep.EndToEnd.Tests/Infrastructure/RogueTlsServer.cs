using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A server on loopback impersonating the endpoint: it has its own CA (which a test makes the client's system
/// store trust) and presents a certificate that CA issued for the endpoint's own names. It records whether a
/// client went past TLS and sent a request, and whether that request carried credentials; it never serves one.
/// </summary>
public sealed class RogueTlsServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _requests;
    private int _authorizationHeaders;

    private RogueTlsServer(X509Certificate2 authority, X509Certificate2 certificate)
    {
        Authority = authority;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The rogue CA's certificate (public part), to put into the client's trust bundle.</summary>
    public X509Certificate2 Authority { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Requests received after a completed TLS handshake.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that carried an Authorization header (the operator's user name and password).</summary>
    public int AuthorizationHeaders => Volatile.Read(ref _authorizationHeaders);

    /// <summary>Starts a server whose certificate copies the subject and alternative names of <paramref name="impersonated"/>.</summary>
    public static RogueTlsServer Start(X509Certificate2 impersonated)
    {
        using ECDsa authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=Rogue Root CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 authority = authorityRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(impersonated.SubjectName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(impersonated.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 issued = request.Create(authority, now.AddMinutes(-1), now.AddHours(12), RandomNumberGenerator.GetBytes(12));
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        // Through PKCS#12, so that SslStream gets a certificate whose key it can use on every platform.
        X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new RogueTlsServer(X509CertificateLoader.LoadCertificate(authority.RawData), certificate);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stopping.Dispose();
        _certificate.Dispose();
        Authority.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stopping.Token);
                string head = await ReadHeadAsync(tls);
                if (head.Length == 0)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                if (head.Split("\r\n").Any(line => line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase)))
                {
                    Interlocked.Increment(ref _authorizationHeaders);
                }

                await tls.WriteAsync("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stopping.Token);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
            {
                // The client refused the certificate (or went away): exactly what a pinned client does.
            }
        }
    }

    /// <summary>Reads up to the end of the request's headers; empty when the client sent nothing.</summary>
    private async Task<string> ReadHeadAsync(SslStream tls)
    {
        var head = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && head.Length < 65536)
        {
            int read = await tls.ReadAsync(buffer, _stopping.Token);
            if (read == 0)
            {
                break;
            }

            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return head.ToString();
    }
}
