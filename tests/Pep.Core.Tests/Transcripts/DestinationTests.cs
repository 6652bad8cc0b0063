using Pep.Core.Platform;
using Pep.Core.Shares;

namespace Pep.Core.Tests.Transcripts;

public sealed class DestinationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pep-roots-" + Guid.NewGuid().ToString("N")[..12]);

    public DestinationTests() => Directory.CreateDirectory(Path.Combine(_root, "allowed"));

    private string Allowed => Path.Combine(_root, "allowed");

    [Fact]
    public void AllowedRoots_AFolderUnderARoot_IsAccepted()
        => Assert.Equal(Path.Combine(Allowed, "audit", "pep"), AllowedRoots.Resolve(Path.Combine(Allowed, "audit", "pep"), [Allowed], out _));

    [Fact]
    public void AllowedRoots_NoRoots_OnlyShares()
    {
        Assert.Null(AllowedRoots.Resolve(Allowed, [], out string? error));
        Assert.Contains("only to file shares", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("relative/path")]
    public void AllowedRoots_OutsideOrRelative_IsRefused(string path) => Assert.Null(AllowedRoots.Resolve(path, [Allowed], out _));

    [Fact]
    public void AllowedRoots_DotDotEscape_IsRefused() => Assert.Null(AllowedRoots.Resolve(Allowed + "/../../etc", [Allowed], out _));

    [Fact]
    public void AllowedRoots_ASymlinkUnderTheRootThatLeadsOut_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(Allowed, "escape"), "/etc");

        Assert.Null(AllowedRoots.Resolve(Path.Combine(Allowed, "escape", "cron.d"), [Allowed], out string? error));
        Assert.Contains("not under a transcript root", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedRoots_APrefixThatIsNotAParent_IsRefused()
    {
        Directory.CreateDirectory(Allowed + "-not");
        Assert.Null(AllowedRoots.Resolve(Allowed + "-not", [Allowed], out _));
    }

    [Theory]
    [InlineData(@"\\10.0.0.5\audit\pep", "10.0.0.5", "audit", "pep")]
    [InlineData(@"\\fileserver.contoso.com\Audit$", "fileserver.contoso.com", "Audit$", "")]
    [InlineData(@"\\10.0.0.5\audit\pep\2026 Q4", "10.0.0.5", "audit", @"pep\2026 Q4")]
    public void SmbPath_ParsesHostShareAndFolder(string text, string host, string share, string folder)
    {
        Assert.True(SmbPath.TryParse(text, out SmbPath? path, out _));
        Assert.Equal(host, path.Host);
        Assert.Equal(share, path.Share);
        Assert.Equal(folder, path.FolderPath);
    }

    [Theory]
    [InlineData(@"\\10.0.0.5\audit\a;!rm")]
    [InlineData(@"\\10.0.0.5\audit\a""b")]
    [InlineData(@"\\10.0.0.5\audit\..\other")]
    [InlineData(@"\\host;x\audit")]
    [InlineData(@"\\10.0.0.5")]
    public void SmbPath_WhatSmbclientCouldMisread_IsRefused(string text) => Assert.False(SmbPath.TryParse(text, out _, out _));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
