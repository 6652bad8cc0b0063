using Pep.Cli.Commands;
using Pep.Cli.Demo;
using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Core.Tests.Cli;

public sealed class DemoSetupTests : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("pep-demo-test-").FullName;

    [Fact]
    public void Prepare_KeepsTheVendorsPrivateKeysOutOfTheStampsStateDirectory()
    {
        var layout = new StateLayout(Path.Combine(_parent, "pep-demo-1"));

        (_, string vendor) = DemoCommand.Prepare(layout, InitCommand.ParseInstances(["ERCS01=127.0.0.1:4443"]), "Demo-Password-1a");

        Assert.False(IsUnder(vendor, layout.Root), $"{vendor} is inside {layout.Root}");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(vendor));
        string[] privateKeys = [.. new[] { SupportAuthority.EncryptionKeyFile, SupportAuthority.SigningKeyFile }.Select(name => File.ReadAllText(Path.Combine(vendor, name)))];
        Assert.All(privateKeys, key => Assert.Contains("PRIVATE KEY", key, StringComparison.Ordinal));
        foreach (string file in Directory.EnumerateFiles(layout.Root, "*", SearchOption.AllDirectories))
        {
            string content = File.ReadAllText(file);
            Assert.DoesNotContain(privateKeys, key => content.Contains(KeyBody(key), StringComparison.Ordinal));
        }

        // The stamp knows the vendor by its public bundle only.
        Assert.True(File.Exists(layout.SupportAuthorityBundle));
    }

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    private static bool IsUnder(string path, string root)
        => Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>A line from the middle of a PEM key: key material only, found in any copy of that key.</summary>
    private static string KeyBody(string pem) => pem.Split('\n')[5];
}
