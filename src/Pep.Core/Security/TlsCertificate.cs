using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pep.Core.Security;

/// <summary>The endpoint's TLS certificate: made by <c>pep init</c>, pinned by clients by its SHA-256 thumbprint.</summary>
public static class TlsCertificate
{
    /// <summary>Makes a self-signed server certificate for the given DNS names and addresses (ECDSA P-256, two years).</summary>
    public static X509Certificate2 CreateSelfSigned(string subjectName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, TimeProvider time)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subjectName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in dnsNames)
        {
            san.AddDnsName(name);
        }

        foreach (IPAddress address in addresses)
        {
            san.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        DateTimeOffset now = time.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(2));
    }

    /// <summary>Hex SHA-256 of the certificate's DER encoding, upper case, as operators pin it.</summary>
    public static string Sha256Thumbprint(X509Certificate certificate)
        => Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));

    public static X509Certificate2 LoadPfx(string path)
        => X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.EphemeralKeySet);
}
