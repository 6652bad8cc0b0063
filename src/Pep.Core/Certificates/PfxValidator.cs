using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Certificates;

/// <summary>
/// Checks a PKCS#12 file an operator offers for one of the stamp's external certificates before anything is
/// replaced: the password opens it, it holds a private key, it is valid now, its key and signature are strong
/// enough, it may serve TLS and its DNS names cover the names the stamp needs.
/// </summary>
public static class PfxValidator
{
    /// <summary>Larger files are refused unread: a certificate with its chain is a few kilobytes.</summary>
    public const int MaxPfxBytes = 64 * 1024;

    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private static readonly HashSet<string> WeakSignatures =
    [
        "1.2.840.113549.1.1.4", // md5WithRSAEncryption
        "1.2.840.113549.1.1.5", // sha1WithRSAEncryption
        "1.2.840.10045.4.1", // ecdsa-with-SHA1
        "1.2.840.10040.4.3", // dsa-with-sha1
    ];

    /// <summary>The certificate with an exportable private key, or a <see cref="CertificateRejectedException"/> saying why not.</summary>
    public static X509Certificate2 Validate(ReadOnlySpan<byte> pfx, ReadOnlySpan<char> password, StampCertificate expected, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(expected);
        string file = expected.Name + ".pfx";
        if (pfx.Length > MaxPfxBytes)
        {
            throw new CertificateRejectedException("PfxFileTooLarge", $"{file} is larger than {MaxPfxBytes / 1024} KiB; it is not a single certificate with its chain.");
        }

        if (!LooksLikePkcs12(pfx))
        {
            throw new CertificateRejectedException("PfxFileInvalid", $"{file} is not a PKCS#12 (.pfx) file.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12(pfx, password, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            // The exception's own text is generic and never holds the password; ours says what to do.
            throw new CertificateRejectedException("CertificatePasswordIncorrect", $"The certificate password does not open {file} (or the file is damaged). Nothing was changed.", e);
        }

        try
        {
            Check(certificate, expected, file, now);
            return certificate;
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    private static void Check(X509Certificate2 certificate, StampCertificate expected, string file, DateTimeOffset now)
    {
        if (!certificate.HasPrivateKey)
        {
            throw new CertificateRejectedException("CertificateHasNoPrivateKey", $"{file} holds no private key for {certificate.Subject}.");
        }

        if (now.UtcDateTime < certificate.NotBefore.ToUniversalTime())
        {
            throw new CertificateRejectedException("CertificateNotYetValid", $"{file} is valid only from {certificate.NotBefore.ToUniversalTime():u}.");
        }

        if (now.UtcDateTime >= certificate.NotAfter.ToUniversalTime())
        {
            throw new CertificateRejectedException("CertificateExpired", $"{file} expired on {certificate.NotAfter.ToUniversalTime():u}.");
        }

        CheckKey(certificate, file);
        if (WeakSignatures.Contains(certificate.SignatureAlgorithm.Value ?? string.Empty))
        {
            throw new CertificateRejectedException("CertificateSignatureWeak", $"{file} is signed with {certificate.SignatureAlgorithm.FriendlyName}; use SHA-256 or stronger.");
        }

        X509EnhancedKeyUsageExtension? usage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ServerAuthentication))
        {
            throw new CertificateRejectedException("CertificateNotForServerAuthentication", $"{file} may not be used for TLS servers (its enhanced key usage lacks Server Authentication).");
        }

        string[] names = DnsNames(certificate);
        string[] missing = [.. expected.SubjectNames.Where(n => !names.Any(have => Covers(have, n)))];
        if (missing.Length > 0)
        {
            throw new CertificateRejectedException("CertificateNamesMissing",
                $"{file} does not cover {string.Join(", ", missing)} (its DNS names: {(names.Length == 0 ? "none" : string.Join(", ", names))}).");
        }
    }

    private static void CheckKey(X509Certificate2 certificate, string file)
    {
        using RSA? rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            if (rsa.KeySize < 2048)
            {
                throw new CertificateRejectedException("CertificateKeyTooSmall", $"{file} has an RSA key of {rsa.KeySize} bits; at least 2048 are needed.");
            }

            return;
        }

        using ECDsa? ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            if (ecdsa.KeySize < 256)
            {
                throw new CertificateRejectedException("CertificateKeyTooSmall", $"{file} has an ECDSA key of {ecdsa.KeySize} bits; at least 256 are needed.");
            }

            return;
        }

        throw new CertificateRejectedException("CertificateKeyNotAccepted", $"{file} has a {certificate.PublicKey.Oid.FriendlyName} key; RSA (2048 bits or more) or ECDSA (P-256 or larger) is needed.");
    }

    /// <summary>The DNS names of the subject alternative name extension, which is what TLS clients check.</summary>
    public static string[] DnsNames(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        X509SubjectAlternativeNameExtension? san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return san is null ? [] : [.. san.EnumerateDnsNames()];
    }

    /// <summary>Whether a certificate name covers a required one: equal, or a wildcard standing for exactly one leftmost label.</summary>
    public static bool Covers(string certificateName, string required)
    {
        ArgumentNullException.ThrowIfNull(certificateName);
        ArgumentNullException.ThrowIfNull(required);
        if (string.Equals(certificateName, required, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!certificateName.StartsWith("*.", StringComparison.Ordinal) || required.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        int dot = required.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && string.Equals(certificateName[1..], required[dot..], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>PKCS#12 is a DER SEQUENCE whose first element is the version INTEGER 3.</summary>
    private static bool LooksLikePkcs12(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new System.Formats.Asn1.AsnReader(data.ToArray(), System.Formats.Asn1.AsnEncodingRules.BER);
            System.Formats.Asn1.AsnReader sequence = reader.ReadSequence();
            return sequence.TryReadInt32(out int version) && version == 3;
        }
        catch (System.Formats.Asn1.AsnContentException)
        {
            return false;
        }
    }
}
