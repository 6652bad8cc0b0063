using Pep.Core.Platform;

namespace Pep.Core.Tests.Platform;

public sealed class AllowedRootsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-allowed-").FullName;

    [Fact]
    public void PathBelowARoot_IsAllowed()
    {
        string root = Directory.CreateDirectory(Path.Combine(_folder, "out")).FullName;

        Assert.Equal(Path.Combine(root, "logs"), AllowedRoots.Resolve(Path.Combine(root, "logs"), [root]));
        Assert.Equal(root, AllowedRoots.Resolve(root + "/", [root]));
    }

    [Theory]
    [InlineData("out/../secret")]
    [InlineData("out-sibling")]
    [InlineData("")]
    public void PathOutsideEveryRoot_IsRefused(string relative)
    {
        string root = Directory.CreateDirectory(Path.Combine(_folder, "out")).FullName;

        Assert.Null(AllowedRoots.Resolve(Path.Combine(_folder, relative), [root]));
    }

    [Fact]
    public void RelativePath_IsRefused()
    {
        Assert.Null(AllowedRoots.Resolve("out/logs", [_folder]));
    }

    [Fact]
    public void SymbolicLinkOutOfTheRoot_IsRefused()
    {
        string root = Directory.CreateDirectory(Path.Combine(_folder, "out")).FullName;
        string secret = Directory.CreateDirectory(Path.Combine(_folder, "secret")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "escape"), secret);

        Assert.Null(AllowedRoots.Resolve(Path.Combine(root, "escape", "logs"), [root]));
    }

    [Fact]
    public void NoRoots_AllowsNothing()
    {
        Assert.Null(AllowedRoots.Resolve(_folder, []));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
