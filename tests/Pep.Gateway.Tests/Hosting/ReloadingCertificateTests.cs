using System.Net;
using System.Security.Cryptography.X509Certificates;
using Pep.Core.Certificates;
using Pep.Core.Security;
using Pep.Core.Stamp.Manifest;
using Pep.Gateway.Hosting;

namespace Pep.Gateway.Tests.Hosting;

public sealed class ReloadingCertificateTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-tls-").FullName;

    private StampCertificate Target => new() { Name = "endpoint", Kind = CertificateKind.Internal, SubjectNames = ["localhost"], Path = Path.Combine(_folder, "endpoint.pfx") };

    private string Write()
    {
        using X509Certificate2 certificate = TlsCertificate.CreateSelfSigned("endpoint", ["localhost"], [IPAddress.Loopback], TimeProvider.System);
        string staged = Path.Combine(_folder, "staged.pfx");
        CertificateFiles.Stage(certificate, staged);
        using X509Certificate2 installed = CertificateFiles.Install(staged, Target);
        return TlsCertificate.Sha256Thumbprint(installed);
    }

    [Fact]
    public void Current_FollowsTheFile_AndKeepsTheLastGoodOneWhenTheFileIsBroken()
    {
        string first = Write();
        using var reloading = new ReloadingCertificate(Target.Path);
        Assert.Equal(first, TlsCertificate.Sha256Thumbprint(reloading.Current));

        string second = Write();
        Assert.NotEqual(first, second);
        Assert.Equal(second, TlsCertificate.Sha256Thumbprint(reloading.Current));

        File.WriteAllText(Target.Path + ".tmp", "not a certificate");
        File.Move(Target.Path + ".tmp", Target.Path, overwrite: true);
        Assert.Equal(second, TlsCertificate.Sha256Thumbprint(reloading.Current));
        Assert.True(reloading.Current.HasPrivateKey);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
