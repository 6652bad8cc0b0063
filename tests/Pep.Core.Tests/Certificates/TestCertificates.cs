using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pep.Core.Tests.Certificates;

/// <summary>Certificates made for the tests: an operator's CA would issue the real ones.</summary>
internal static class TestCertificates
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    public static byte[] Pfx(string password, string[] dnsNames, int rsaBits = 2048, DateTimeOffset? notAfter = null, string? usage = "1.3.6.1.5.5.7.3.1",
        HashAlgorithmName? hash = null)
    {
        using RSA key = RSA.Create(rsaBits);
        var request = new CertificateRequest("CN=" + (dnsNames.Length > 0 ? dnsNames[0] : "nobody"), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (dnsNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (string name in dnsNames)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        if (usage is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        }

        DateTimeOffset until = notAfter ?? Now.AddYears(1);
        using X509Certificate2 certificate = hash == HashAlgorithmName.SHA1
            ? request.Create(request.SubjectName, new Sha1Signature(key), Now.AddDays(-1), until, [1, 2, 3, 4]).CopyWithPrivateKey(key)
            : request.CreateSelfSigned(Now.AddDays(-1), until);
        return certificate.Export(X509ContentType.Pkcs12, password);
    }

    /// <summary>A PKCS#12 file holding only the certificate, no private key.</summary>
    public static byte[] PfxWithoutKey(string password, string dnsName)
    {
        using X509Certificate2 withKey = X509CertificateLoader.LoadPkcs12(Pfx(password, [dnsName]), password);
        using X509Certificate2 publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
        return publicOnly.Export(X509ContentType.Pkcs12, password);
    }

    /// <summary>.NET no longer signs certificates with SHA-1; old CAs did, and the validator must refuse them.</summary>
    private sealed class Sha1Signature(RSA key) : X509SignatureGenerator
    {
        // AlgorithmIdentifier { sha1WithRSAEncryption, NULL }
        private static readonly byte[] Identifier = [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05, 0x05, 0x00];

        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => Identifier;

#pragma warning disable CA5350 // Deliberately weak: the test certificate the validator must refuse.
        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
            => key.SignHash(SHA1.HashData(data), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
#pragma warning restore CA5350

        protected override PublicKey BuildPublicKey() => PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
    }
}
