using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Pep.Core.Security;

namespace Pep.Gateway.Hosting;

/// <summary>
/// The TLS certificate Kestrel presents, re-read when its file changes, so that Start-SecretRotation takes
/// effect for new connections without a restart (connections already open keep theirs). Every handshake
/// checks the file's write time and length (one stat call): the rotation replaces the file by a rename, so
/// a handshake after the rename sees the new one. A file that cannot be loaded leaves the current
/// certificate in place. Replaced certificates are disposed only when the gateway stops, because a
/// handshake may still be using one.
/// </summary>
internal sealed class ReloadingCertificate : IDisposable
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly List<X509Certificate2> _retired = [];
    private X509Certificate2 _current;
    private SslStreamCertificateContext _context;
    private (DateTime WriteTime, long Length) _version;

    public ReloadingCertificate(string path)
    {
        _path = path;
        _version = Version();
        _current = TlsCertificate.LoadPfx(path);
        _context = CreateContext(_current);
    }

    /// <summary>Where reloads are reported; set once the gateway's logging exists.</summary>
    public ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public X509Certificate2 Current
    {
        get
        {
            (DateTime, long) version = Version();
            if (version == _version)
            {
                return _current;
            }

            lock (_gate)
            {
                if (version != _version)
                {
                    Reload(version);
                }

                return _current;
            }
        }
    }

    /// <summary>
    /// The TLS context of <see cref="Current"/>, built once per certificate: a handshake given only the
    /// certificate would build its chain again, every time.
    /// </summary>
    public SslStreamCertificateContext CurrentContext
    {
        get
        {
            _ = Current;
            lock (_gate)
            {
                return _context;
            }
        }
    }

    private static SslStreamCertificateContext CreateContext(X509Certificate2 certificate)
        => SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);

    private void Reload((DateTime, long) version)
    {
        _version = version;
        try
        {
            X509Certificate2 loaded = TlsCertificate.LoadPfx(_path);
            if (!loaded.HasPrivateKey)
            {
                loaded.Dispose();
                throw new CryptographicException("The new certificate file holds no private key.");
            }

            SslStreamCertificateContext context = CreateContext(loaded);
            _retired.Add(_current);
            _current = loaded;
            _context = context;
            GatewayLog.TlsCertificateReloaded(Logger, TlsCertificate.Sha256Thumbprint(loaded));
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            GatewayLog.TlsCertificateReloadFailed(Logger, TlsCertificate.Sha256Thumbprint(_current), e);
        }
    }

    private (DateTime WriteTime, long Length) Version()
    {
        var info = new FileInfo(_path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _current.Dispose();
            foreach (X509Certificate2 certificate in _retired)
            {
                certificate.Dispose();
            }
        }
    }
}
