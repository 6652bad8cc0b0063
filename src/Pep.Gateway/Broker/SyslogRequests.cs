using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;
using Pep.Core.Storage;
using Pep.Gateway.Syslog;

namespace Pep.Gateway.Broker;

/// <summary>
/// Set-/Get-SyslogServer and Set-/Get-SyslogClient, done in the gateway through the deployment's shared settings
/// (every instance reads them; <see cref="SyslogForwarder"/> applies them without a restart). The client certificate
/// is opened here with its password, checked, and kept sealed to the stamp key (<see cref="SyslogCertificateSeal"/>);
/// the PFX and its password are wiped once used and never logged.
/// </summary>
internal sealed class SyslogRequests(StateLayout layout, ISettingsStore settings, SyslogForwarder? forwarder)
{
    public BrokerReply GetServer()
        => Shared(() => ServerReply(SyslogServerSetting.Load(settings)));

    public BrokerReply SetServer(SetSyslogServerRequest request)
        => Shared(() =>
        {
            if (request.Remove)
            {
                settings.Remove(SyslogServerSetting.SettingKey);
                forwarder?.SettingsChanged();
                return ServerReply(null);
            }

            if ((request.UseUdp || request.NoEncryption) && (request.SkipCertificateCheck || request.SkipCNCheck))
            {
                return new BrokerFailure("SyslogOptionsConflict", BrokerErrorCategory.InvalidArgument,
                    "-SkipCertificateCheck and -SkipCNCheck apply to TLS only; they cannot be given with -NoEncryption or -UseUDP.", request.ServerName);
            }

            SyslogTransport transport = request.UseUdp ? SyslogTransport.Udp : request.NoEncryption ? SyslogTransport.Tcp : SyslogTransport.Tls;
            var server = new SyslogServerSetting(request.ServerName, request.ServerPort, transport, request.SkipCertificateCheck, request.SkipCNCheck);
            if (server.Check() is { } problem)
            {
                return new BrokerFailure("InvalidSyslogServer", BrokerErrorCategory.InvalidArgument, problem, request.ServerName);
            }

            server.Save(settings);
            forwarder?.SettingsChanged();
            return ServerReply(server);
        });

    public BrokerReply GetClient()
        => Shared(() => ClientReply(SyslogClientSetting.Load(settings)));

    public BrokerReply SetClient(SetSyslogClientRequest request)
        => Shared(() =>
        {
            SyslogOutputSeverity? severity = null;
            if (request.OutputSeverity is { } text)
            {
                if (!Enum.TryParse(text, ignoreCase: true, out SyslogOutputSeverity parsed) || !Enum.IsDefined(parsed) || int.TryParse(text, out _))
                {
                    return new BrokerFailure("InvalidOutputSeverity", BrokerErrorCategory.InvalidArgument, "-OutputSeverity is Default or Verbose.", text);
                }

                severity = parsed;
            }

            SyslogClientSetting current = SyslogClientSetting.Load(settings);
            SyslogClientSetting next = current with { OutputSeverity = severity ?? current.OutputSeverity };
            if (request.RemoveCertificate)
            {
                next = next with { CertificateSubject = null, CertificateThumbprint = null, CertificateNotAfter = null, SealedCertificate = null };
            }
            else if (request.PfxBinary is { } pfx)
            {
                if (Sealed(pfx, request.CertPassword ?? []) is not { } certificate)
                {
                    return new BrokerFailure("SyslogClientCertificateInvalid", BrokerErrorCategory.InvalidData,
                        "The PFX could not be opened with the given password, or it holds no certificate with its private key.", "pfxBinary");
                }

                next = next with
                {
                    CertificateSubject = certificate.Subject,
                    CertificateThumbprint = certificate.Thumbprint,
                    CertificateNotAfter = certificate.NotAfter,
                    SealedCertificate = certificate.SealedCertificate,
                };
            }

            next.Save(settings);
            forwarder?.SettingsChanged();
            return ClientReply(next);
        });

    /// <summary>The certificate opened with its password, re-exported without one and sealed; null when it cannot be opened or has no private key.</summary>
    private (string Subject, string Thumbprint, DateTimeOffset NotAfter, string SealedCertificate)? Sealed(byte[] pfx, byte[] password)
    {
        char[] characters = Encoding.UTF8.GetChars(password);
        byte[]? plain = null;
        try
        {
            using X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12(pfx, characters, X509KeyStorageFlags.EphemeralKeySet | X509KeyStorageFlags.Exportable);
            if (!certificate.HasPrivateKey)
            {
                return null;
            }

            plain = certificate.Export(X509ContentType.Pkcs12);
            return (certificate.Subject, certificate.GetCertHashString(HashAlgorithmName.SHA256), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
                SyslogCertificateSeal.Seal(layout, plain));
        }
        catch (CryptographicException)
        {
            return null;
        }
        finally
        {
            Array.Clear(characters);
            if (plain is not null)
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        }
    }

    private static SyslogServerReply ServerReply(SyslogServerSetting? server)
        => server is null
            ? new SyslogServerReply(false, string.Empty, 0, string.Empty, false, false)
            : new SyslogServerReply(true, server.ServerName, server.ServerPort, server.Transport.ToString().ToUpperInvariant(), server.SkipCertificateCheck, server.SkipCNCheck);

    private static SyslogClientReply ClientReply(SyslogClientSetting client)
        => new(client.OutputSeverity.ToString(), client.CertificateSubject, client.CertificateThumbprint, client.CertificateNotAfter);

    /// <summary>Runs <paramref name="work"/>; an unreachable or unreadable shared setting is a failure that says so.</summary>
    private static BrokerReply Shared(Func<BrokerReply> work)
    {
        try
        {
            return work();
        }
        catch (StoreUnavailableException e)
        {
            return new BrokerFailure("SettingsStoreUnavailable", BrokerErrorCategory.ResourceUnavailable, $"The deployment's shared settings cannot be reached: {e.Message}", "settings store");
        }
        catch (StampManifestException e)
        {
            return new BrokerFailure("SyslogSettingUnreadable", BrokerErrorCategory.ReadError, e.Message, "syslog");
        }
    }
}
