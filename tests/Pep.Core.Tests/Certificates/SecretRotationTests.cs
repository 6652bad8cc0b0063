using System.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Pep.Core.Certificates;
using Pep.Core.Deployment;
using Pep.Core.Provisioning;
using Pep.Core.Security;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Tests.Certificates;

/// <summary>A rotation on a real state directory (temporary), with /bin/true and /bin/false as the roles' reload commands.</summary>
public sealed class SecretRotationTests : IDisposable
{
    private const string Password = "Pfx-Secret-4711";
    private readonly string _root = Directory.CreateTempSubdirectory("pep-rotation-").FullName;
    private readonly StateLayout _layout;
    private readonly DeploymentConfig _config;
    private readonly FakeTimeProvider _time = new(TestCertificates.Now);

    public SecretRotationTests()
    {
        _layout = new StateLayout(Path.Combine(_root, "state"));
        Directory.CreateDirectory(_layout.TlsDirectory);
        _config = new DeploymentConfig
        {
            Stamp = new StampIdentity
            {
                Name = "azs", RegionName = "local", DomainNetBiosName = "AZURESTACK", DomainFqdn = "azurestack.azurestack.external",
                ExternalDomainFqdn = "azurestack.external", CloudId = Guid.NewGuid(), DeploymentId = Guid.NewGuid(),
            },
            Instances = [new InstanceConfig { Name = "ERCS01", Address = "127.0.0.1", Port = 4443 }],
        };
        using X509Certificate2 first = DeploymentInitializer.CreateTlsCertificate(_config, _time);
        CertificateFiles.Stage(first, _layout.TlsCertificatePfx);
        (_config with { TlsCertificateThumbprint = TlsCertificate.Sha256Thumbprint(first) }).Save(_layout.ConfigFile);
    }

    private string Certs => Path.Combine(_root, "certs");

    private StampManifest Manifest(string reload = "/bin/true") => new()
    {
        Name = "azs", Region = "local", Domain = "azurestack.external",
        Roles = [new StampRole { Name = "Portal", Reload = new RoleCommand { Argv = [reload] } }],
        Certificates =
        [
            new StampCertificate { Name = "portal", Kind = CertificateKind.External, SubjectNames = ["portal.local.azurestack.external"], Path = Path.Combine(Certs, "portal.pfx"), Role = "Portal" },
            new StampCertificate { Name = "adminportal", Kind = CertificateKind.External, SubjectNames = ["adminportal.local.azurestack.external"], Path = Path.Combine(Certs, "adminportal.pfx"), Role = "Portal" },
            new StampCertificate { Name = "portal-internal", Kind = CertificateKind.Internal, SubjectNames = ["portal.local.internal"], Path = Path.Combine(Certs, "portal-internal.pfx"), Role = "Portal" },
        ],
    };

    private SecretRotation Rotation(StampManifest manifest) => new(_layout, _config, manifest, _time);

    private string InstalledThumbprint(string path)
    {
        using X509Certificate2 certificate = TlsCertificate.LoadPfx(path);
        return TlsCertificate.Sha256Thumbprint(certificate);
    }

    [Fact]
    public async Task Internal_ReplacesTheEndpointCertificateAndTheDeclaredOnes_AndRecordsTheThumbprint()
    {
        string before = InstalledThumbprint(_layout.TlsCertificatePfx);
        SecretRotation rotation = Rotation(Manifest());
        SecretRotationState plan = rotation.Plan(CertificateKind.Internal, null);
        Assert.Equal(["Create:PrivilegedEndpoint", "Create:portal-internal", "Install:PrivilegedEndpoint", "Install:portal-internal", "Reload:Portal"], plan.Steps.Select(s => s.Name));

        SecretRotationState done = await rotation.RunAsync(plan, null, null, null, CancellationToken.None);

        Assert.Equal(RotationStatus.Completed, done.Status);
        string after = InstalledThumbprint(_layout.TlsCertificatePfx);
        Assert.NotEqual(before, after);
        Assert.Equal(after, DeploymentConfig.Load(_layout.ConfigFile).TlsCertificateThumbprint);
        Assert.Equal(after, rotation.Installed(done).Single(o => o.Name == EndpointCertificate.Name).Thumbprint);
        Assert.True(File.Exists(Path.Combine(Certs, "portal-internal.crt")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Certs, "portal-internal.pfx")));
        Assert.False(Directory.Exists(_layout.SecretRotationStaging));
        Assert.Equal(RotationStatus.Completed, SecretRotationState.Load(_layout)!.Status);
        Assert.Empty(Directory.GetFiles(_layout.TlsDirectory, "*.new"));
    }

    [Fact]
    public async Task AFailedReload_IsRecorded_AndTheRerunFinishesWithoutReplacingAgain()
    {
        SecretRotation failing = Rotation(Manifest(reload: "/bin/false"));
        SecretRotationState plan = failing.Plan(CertificateKind.Internal, null);

        var e = await Assert.ThrowsAsync<SecretRotationException>(() => failing.RunAsync(plan, null, null, null, CancellationToken.None));

        Assert.Equal("RoleReloadFailed", e.ErrorId);
        SecretRotationState failed = SecretRotationState.Load(_layout)!;
        Assert.Equal(RotationStatus.Failed, failed.Status);
        Assert.Equal("Reload:Portal", failed.FailedStep);
        Assert.True(failed.ChangedSomething);
        string installed = InstalledThumbprint(_layout.TlsCertificatePfx);

        SecretRotationState done = await Rotation(Manifest()).RunAsync(failed, null, null, null, CancellationToken.None);

        Assert.Equal(RotationStatus.Completed, done.Status);
        Assert.Equal(installed, InstalledThumbprint(_layout.TlsCertificatePfx));
    }

    [Fact]
    public async Task External_OneBadFile_ChangesNothing_AndTheRerunWithGoodFilesInstallsThem()
    {
        string folder = Path.Combine(_root, "incoming");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "portal.pfx"), TestCertificates.Pfx(Password, ["portal.local.azurestack.external"]));
        File.WriteAllBytes(Path.Combine(folder, "adminportal.pfx"), TestCertificates.Pfx(Password, ["somewhere.else"]));
        SecretRotation rotation = Rotation(Manifest());
        var source = new LocalPfxSource(folder, folder, [_root]);
        SecretRotationState plan = rotation.Plan(CertificateKind.External, source.Display);
        using SecureString password = Secure(Password);

        var e = await Assert.ThrowsAsync<SecretRotationException>(() => rotation.RunAsync(plan, source, password, null, CancellationToken.None));

        Assert.Equal("CertificateNamesMissing", e.ErrorId);
        Assert.Contains("adminportal.pfx", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Certs, "portal.pfx")));
        Assert.Empty(Directory.Exists(_layout.SecretRotationStaging) ? Directory.GetFiles(_layout.SecretRotationStaging) : []);
        SecretRotationState failed = SecretRotationState.Load(_layout)!;
        Assert.Equal("Fetch", failed.FailedStep);
        Assert.False(failed.ChangedSomething);

        var rerunWithoutFiles = await Assert.ThrowsAsync<SecretRotationException>(() => rotation.RunAsync(failed, null, null, null, CancellationToken.None));
        Assert.Equal("PfxFilesPathRequired", rerunWithoutFiles.ErrorId);

        byte[] admin = TestCertificates.Pfx(Password, ["adminportal.local.azurestack.external"]);
        File.WriteAllBytes(Path.Combine(folder, "adminportal.pfx"), admin);
        SecretRotationState done = await rotation.RunAsync(SecretRotationState.Load(_layout)!, source, password, null, CancellationToken.None);

        Assert.Equal(RotationStatus.Completed, done.Status);
        using X509Certificate2 expected = X509CertificateLoader.LoadPkcs12(admin, Password);
        Assert.Equal(TlsCertificate.Sha256Thumbprint(expected), InstalledThumbprint(Path.Combine(Certs, "adminportal.pfx")));
        Assert.Contains("-----BEGIN CERTIFICATE-----", File.ReadAllText(Path.Combine(Certs, "adminportal.crt")), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, File.ReadAllText(_layout.SecretRotationState), StringComparison.Ordinal);
    }

    [Fact]
    public async Task External_MissingFile_ListsWhatTheFolderMustHold()
    {
        string folder = Path.Combine(_root, "incoming");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "portal.pfx"), TestCertificates.Pfx(Password, ["portal.local.azurestack.external"]));
        SecretRotation rotation = Rotation(Manifest());
        var source = new LocalPfxSource(folder, folder, [_root]);
        using SecureString password = Secure(Password);

        var e = await Assert.ThrowsAsync<SecretRotationException>(() => rotation.RunAsync(rotation.Plan(CertificateKind.External, folder), source, password, null, CancellationToken.None));

        Assert.Equal("PfxFileMissing", e.ErrorId);
        Assert.Contains("adminportal.pfx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_External_WithoutDeclaredCertificates_IsRefused()
    {
        SecretRotation rotation = Rotation(Manifest() with { Certificates = [] });

        var e = Assert.Throws<SecretRotationException>(() => rotation.Plan(CertificateKind.External, "/x"));

        Assert.Equal("NoExternalCertificates", e.ErrorId);
        Assert.Equal(["Create:PrivilegedEndpoint", "Install:PrivilegedEndpoint"], rotation.Plan(CertificateKind.Internal, null).Steps.Select(s => s.Name));
    }

    [Fact]
    public async Task Stopped_IsRecordedAsFailed_AndLeavesTheOldCertificate()
    {
        string before = InstalledThumbprint(_layout.TlsCertificatePfx);
        SecretRotation rotation = Rotation(Manifest());
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rotation.RunAsync(rotation.Plan(CertificateKind.Internal, null), null, null, null, stopped.Token));

        Assert.Equal(before, InstalledThumbprint(_layout.TlsCertificatePfx));
        SecretRotationState state = SecretRotationState.Load(_layout)!;
        Assert.Equal(RotationStatus.Failed, state.Status);
        Assert.Equal("Create:PrivilegedEndpoint", state.FailedStep);
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
