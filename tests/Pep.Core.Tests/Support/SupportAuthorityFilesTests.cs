using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Core.Tests.Support;

public sealed class SupportAuthorityFilesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pep-authority-unit-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Create_WritesPrivateKeysOwnerOnlyAndABundleThatLoads()
    {
        string keyId;
        using (SupportAuthority created = SupportAuthority.Create(_directory, TimeProvider.System))
        {
            keyId = created.KeyId;
        }

        UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(_directory, SupportAuthority.EncryptionKeyFile)));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(_directory, SupportAuthority.SigningKeyFile)));
        using SupportAuthorityBundle bundle = SupportAuthorityBundle.Load(Path.Combine(_directory, SupportAuthority.PublicBundleFile));
        Assert.Equal(keyId, bundle.KeyId);
        Assert.DoesNotContain("PRIVATE", File.ReadAllText(Path.Combine(_directory, SupportAuthority.PublicBundleFile)), StringComparison.Ordinal);
        using SupportAuthority loaded = SupportAuthority.Load(_directory, TimeProvider.System);
        Assert.Equal(keyId, loaded.KeyId);
    }

    [Fact]
    public void Create_NeverOverwritesAnAuthority()
    {
        SupportAuthority.Create(_directory, TimeProvider.System).Dispose();

        Assert.Throws<IOException>(() => SupportAuthority.Create(_directory, TimeProvider.System));
    }

    [Fact]
    public void Register_OfSomethingThatIsNotABundle_ChangesNothing()
    {
        Directory.CreateDirectory(_directory);
        var layout = new StateLayout(_directory);
        string notABundle = Path.Combine(_directory, "x.json");
        File.WriteAllText(notABundle, "{\"schema\":1,\"encryptionKey\":\"nope\",\"signingKey\":\"nope\"}");

        Assert.Throws<FormatException>(() => SupportAuthorityRegistration.Register(layout, notABundle));
        Assert.False(File.Exists(layout.SupportAuthorityBundle));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
