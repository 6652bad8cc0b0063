using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pep.Core.Certificates;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Tests.Certificates;

public sealed class PfxValidatorTests
{
    private const string Password = "Pfx-Secret-4711";
    private static readonly DateTimeOffset Now = TestCertificates.Now;

    private static readonly StampCertificate Portal = new()
    {
        Name = "portal", Kind = CertificateKind.External, SubjectNames = ["portal.local.azurestack.external"], Path = "/tmp/portal.pfx",
    };

    [Fact]
    public void Validate_GoodFile_ReturnsTheCertificateWithItsKey()
    {
        using X509Certificate2 certificate = PfxValidator.Validate(TestCertificates.Pfx(Password, ["portal.local.azurestack.external"]), Password, Portal, Now);

        Assert.True(certificate.HasPrivateKey);
        Assert.NotEmpty(certificate.Export(X509ContentType.Pkcs12));
    }

    [Fact]
    public void Validate_Wildcard_CoversOneLabel()
    {
        using X509Certificate2 certificate = PfxValidator.Validate(TestCertificates.Pfx(Password, ["*.local.azurestack.external"]), Password, Portal, Now);

        Assert.Contains("*.local.azurestack.external", PfxValidator.DnsNames(certificate));
    }

    [Fact]
    public void Validate_WrongPassword_SaysSoWithoutThePassword()
    {
        var e = Assert.Throws<CertificateRejectedException>(() => PfxValidator.Validate(TestCertificates.Pfx(Password, ["portal.local.azurestack.external"]), "Wrong-Password-1", Portal, Now));

        Assert.Equal("CertificatePasswordIncorrect", e.ErrorId);
        Assert.Contains("portal.pfx", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Password-1", e.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> Refused => new()
    {
        { "PfxFileInvalid", "-----BEGIN CERTIFICATE-----\nnot a pfx\n"u8.ToArray() },
        { "PfxFileTooLarge", new byte[PfxValidator.MaxPfxBytes + 1] },
        { "CertificateHasNoPrivateKey", TestCertificates.PfxWithoutKey(Password, "portal.local.azurestack.external") },
        { "CertificateExpired", TestCertificates.Pfx(Password, ["portal.local.azurestack.external"], notAfter: TestCertificates.Now.AddHours(-1)) },
        { "CertificateKeyTooSmall", TestCertificates.Pfx(Password, ["portal.local.azurestack.external"], rsaBits: 1024) },
        { "CertificateSignatureWeak", TestCertificates.Pfx(Password, ["portal.local.azurestack.external"], hash: HashAlgorithmName.SHA1) },
        { "CertificateNotForServerAuthentication", TestCertificates.Pfx(Password, ["portal.local.azurestack.external"], usage: "1.3.6.1.5.5.7.3.2") },
        { "CertificateNamesMissing", TestCertificates.Pfx(Password, ["adminportal.local.azurestack.external"]) },
        { "CertificateNamesMissing", TestCertificates.Pfx(Password, ["*.azurestack.external"]) },
        { "CertificateNamesMissing", TestCertificates.Pfx(Password, []) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Validate_RefusesWhatCannotServe(string errorId, byte[] pfx)
    {
        var e = Assert.Throws<CertificateRejectedException>(() => PfxValidator.Validate(pfx, Password, Portal, Now));

        Assert.Equal(errorId, e.ErrorId);
    }

    [Theory]
    [InlineData("portal.local.azurestack.external", "portal.local.azurestack.external", true)]
    [InlineData("PORTAL.local.azurestack.external", "portal.local.azurestack.external", true)]
    [InlineData("*.local.azurestack.external", "portal.local.azurestack.external", true)]
    [InlineData("*.local.azurestack.external", "a.portal.local.azurestack.external", false)]
    [InlineData("*.local.azurestack.external", "local.azurestack.external", false)]
    [InlineData("*.local.azurestack.external", "*.local.azurestack.external", true)]
    [InlineData("portal.local.azurestack.external", "*.local.azurestack.external", false)]
    [InlineData("*.azurestack.external", "portal.local.azurestack.external", false)]
    public void Covers_MatchesExactNamesAndOneLabelWildcards(string certificateName, string required, bool covers)
        => Assert.Equal(covers, PfxValidator.Covers(certificateName, required));
}
