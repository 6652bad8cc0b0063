using Pep.Core.Deployment;
using Pep.Core.Shares;

namespace Pep.Core.Tests.Shares;

public sealed class AllowedDestinationsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pep-allowed-").FullName;

    private string[] Allowed => [@"\\fileserver\pep", @"\\10.0.0.5\audit\ercs", Path.Combine(_root, "archive")];

    [Theory]
    [InlineData(@"\\fileserver\pep")]
    [InlineData(@"\\FILESERVER\Pep\2026\ERCS01")]
    [InlineData(@"\\10.0.0.5\audit\ercs")]
    [InlineData(@"\\10.0.0.5\audit\ERCS\more")]
    public void AListedShareOrAFolderUnderIt_IsAllowed(string destination)
        => Assert.Null(AllowedDestinations.RefuseShare(Share(destination), Allowed));

    [Theory]
    [InlineData(@"\\attacker\pep")]
    [InlineData(@"\\fileserver\other")]
    [InlineData(@"\\10.0.0.5\audit")]
    [InlineData(@"\\10.0.0.5\audit\ercs-copy")]
    [InlineData(@"\\fileserver.attacker.example\pep")]
    public void AnyOtherShare_IsRefused_NamingTheSetting(string destination)
    {
        string? refusal = AllowedDestinations.RefuseShare(Share(destination), Allowed);

        Assert.NotNull(refusal);
        Assert.Contains("transcripts.allowedDestinations", refusal, StringComparison.Ordinal);
        Assert.Contains(@"\\fileserver\pep", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void NoList_AllowsEveryDestinationTheOtherRulesAllow()
    {
        Assert.Null(AllowedDestinations.RefuseShare(Share(@"\\anywhere\share"), []));
        Assert.Null(AllowedDestinations.RefuseLocal("/anywhere", []));
    }

    [Fact]
    public void ALocalFolder_IsAllowedUnderAListedFolder_AndRefusedElsewhere()
    {
        Directory.CreateDirectory(Path.Combine(_root, "archive"));
        Directory.CreateDirectory(Path.Combine(_root, "other"));

        Assert.Null(AllowedDestinations.RefuseLocal(Path.Combine(_root, "archive", "ercs01"), Allowed));
        Assert.NotNull(AllowedDestinations.RefuseLocal(Path.Combine(_root, "other"), Allowed));
        Assert.NotNull(AllowedDestinations.RefuseLocal(Path.Combine(_root, "other"), [@"\\fileserver\pep"]));
    }

    [Fact]
    public void ALocalFolderReachedThroughALinkOutOfTheListedFolder_IsRefused()
    {
        Directory.CreateDirectory(Path.Combine(_root, "archive"));
        Directory.CreateDirectory(Path.Combine(_root, "other"));
        File.CreateSymbolicLink(Path.Combine(_root, "archive", "link"), Path.Combine(_root, "other"));

        Assert.NotNull(AllowedDestinations.RefuseLocal(Path.Combine(_root, "archive", "link"), Allowed));
    }

    [Fact]
    public void DestinationFactory_RefusesAShareOffTheList_BeforeAskingForACredential()
    {
        var settings = new TranscriptSettings { AllowedDestinations = [@"\\fileserver\pep"] };

        var e = Assert.Throws<DestinationException>(() => DestinationFactory.Create(@"\\attacker\loot", null, null, settings, _root));

        Assert.Equal(DestinationFailure.NotAllowed, e.Failure);
        Assert.Contains("transcripts.allowedDestinations", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DestinationFactory_RefusesAFolderUnderTheRootsButOffTheList()
    {
        Directory.CreateDirectory(Path.Combine(_root, "archive"));
        Directory.CreateDirectory(Path.Combine(_root, "scratch"));
        var settings = new TranscriptSettings { Roots = [_root], AllowedDestinations = [Path.Combine(_root, "archive")] };

        var e = Assert.Throws<DestinationException>(() => DestinationFactory.Create(Path.Combine(_root, "scratch"), null, null, settings, _root));
        using ITranscriptDestination allowed = DestinationFactory.Create(Path.Combine(_root, "archive"), null, null, settings, _root);

        Assert.Equal(DestinationFailure.NotAllowed, e.Failure);
        Assert.Equal(Path.Combine(_root, "archive"), allowed.Display);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static SmbPath Share(string text)
    {
        Assert.True(SmbPath.TryParse(text, out SmbPath? path, out string? error), error);
        return path;
    }
}
