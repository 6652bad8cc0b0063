extern alias ClientModule;

using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ClientModule::Pep.ClientModule.Transport;

namespace Pep.Core.Tests.Client;

public sealed class CertificatePolicyTests
{
    [Fact]
    public void NormalizeThumbprint_AcceptsSeparatorsAndCase()
    {
        string hex = new string('a', 62) + "0F";

        Assert.Equal(hex.ToUpperInvariant(), CertificatePolicy.NormalizeThumbprint(string.Join(':', hex.Chunk(2).Select(c => new string(c)))));
    }

    [Theory]
    [InlineData("ABCD")]
    [InlineData("ZZ00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0123456789012345678901234567890123456789")]
    public void NormalizeThumbprint_RefusesAnythingButASha256(string thumbprint)
        => Assert.Throws<ArgumentException>(() => CertificatePolicy.NormalizeThumbprint(thumbprint));

    [Fact]
    public void Pinned_CertificateTheSystemStoreTrusts_IsRefusedWhenItIsNotThePinnedOne()
    {
        using X509Certificate2 endpoint = SelfSigned("CN=endpoint");
        using X509Certificate2 rogueCa = Authority("CN=rogue CA");
        using X509Certificate2 rogue = IssuedBy(rogueCa, "CN=endpoint");
        var policy = new CertificatePolicy(Thumbprint(endpoint), []);

        // SslPolicyErrors.None: the system store trusts the rogue CA and the name matches.
        Assert.False(policy.Validate(rogue, null, SslPolicyErrors.None));
        Assert.Contains(Thumbprint(rogue), policy.LastRefusal, StringComparison.Ordinal);
        Assert.Contains("not the pinned one", policy.LastRefusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Pinned_ThePinnedCertificate_IsAcceptedThoughNoStoreTrustsIt()
    {
        using X509Certificate2 endpoint = SelfSigned("CN=endpoint");
        var policy = new CertificatePolicy(Thumbprint(endpoint), []);

        Assert.True(policy.Validate(endpoint, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void NamedAuthority_CertificateOfAnotherCaTheSystemStoreTrusts_IsRefused()
    {
        using X509Certificate2 operatorCa = Authority("CN=operator CA");
        using X509Certificate2 rogueCa = Authority("CN=rogue CA");
        using X509Certificate2 rogue = IssuedBy(rogueCa, "CN=endpoint");
        var policy = new CertificatePolicy(null, [operatorCa]);

        Assert.False(policy.Validate(rogue, null, SslPolicyErrors.None));
        Assert.Contains("-CertificateAuthorityPath", policy.LastRefusal, StringComparison.Ordinal);
    }

    [Fact]
    public void NamedAuthority_CertificateItIssuedForTheName_IsAcceptedThoughTheSystemStoreDoesNotTrustIt()
    {
        using X509Certificate2 operatorCa = Authority("CN=operator CA");
        using X509Certificate2 endpoint = IssuedBy(operatorCa, "CN=endpoint");
        var policy = new CertificatePolicy(null, [operatorCa]);

        Assert.True(policy.Validate(endpoint, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(policy.Validate(endpoint, null, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public void PinAndAuthority_EitherIsTrusted_TheSystemStoreIsNot()
    {
        using X509Certificate2 pinned = SelfSigned("CN=endpoint");
        using X509Certificate2 operatorCa = Authority("CN=operator CA");
        using X509Certificate2 issued = IssuedBy(operatorCa, "CN=endpoint");
        using X509Certificate2 rogueCa = Authority("CN=rogue CA");
        using X509Certificate2 rogue = IssuedBy(rogueCa, "CN=endpoint");
        var policy = new CertificatePolicy(Thumbprint(pinned), [operatorCa]);

        Assert.True(policy.Validate(pinned, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.True(policy.Validate(issued, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(policy.Validate(rogue, null, SslPolicyErrors.None));
    }

    [Fact]
    public void NothingGiven_TheSystemStoreDecides()
    {
        using X509Certificate2 rogueCa = Authority("CN=public CA");
        using X509Certificate2 endpoint = IssuedBy(rogueCa, "CN=endpoint");
        var policy = new CertificatePolicy(null, []);

        Assert.True(policy.Validate(endpoint, null, SslPolicyErrors.None));
        Assert.False(policy.Validate(endpoint, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Contains(Thumbprint(endpoint), policy.LastRefusal, StringComparison.Ordinal);
    }

    private static string Thumbprint(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData));

    private static X509Certificate2 SelfSigned(string subject)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Request(subject, key).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Authority(string subject)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 IssuedBy(X509Certificate2 authority, string subject)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Request(subject, key).Create(authority, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
    }

    private static CertificateRequest Request(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }
}
