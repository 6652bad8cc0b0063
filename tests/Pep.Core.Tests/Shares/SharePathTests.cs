using Pep.Core.Shares;

namespace Pep.Core.Tests.Shares;

public sealed class SharePathTests
{
    [Fact]
    public void TryParse_ReadsHostShareAndFolders()
    {
        SharePath path = SharePath.TryParse(@"\\10.0.0.5\Logs$\stamp\2026 11", out _)!;

        Assert.Equal("10.0.0.5", path.Host);
        Assert.Null(path.Port);
        Assert.Equal("Logs$", path.Share);
        Assert.Equal(["stamp", "2026 11"], path.Folders);
        Assert.Equal("//10.0.0.5/Logs$", path.Service);
    }

    [Fact]
    public void TryParse_TakesAPort()
    {
        Assert.Equal(4445, SharePath.TryParse(@"\\127.0.0.1:4445\logs", out _)!.Port);
    }

    [Theory]
    [InlineData(@"\\host\share\..\etc")]
    [InlineData(@"\\host\share\a;rm -rf x")]
    [InlineData(@"\\host\share\a""b")]
    [InlineData(@"//host/share")]
    [InlineData(@"\\host")]
    [InlineData(@"\\host:99999\share")]
    [InlineData(@"\\host\share\ leading")]
    public void TryParse_RefusesAnythingButPlainNames(string text)
    {
        Assert.Null(SharePath.TryParse(text, out string? error));
        Assert.NotNull(error);
    }
}
