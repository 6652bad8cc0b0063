using Pep.Core.Sessions;
using Pep.Core.Transcripts;

namespace Pep.Core.Tests.Transcripts;

public sealed class SessionHeaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-header-").FullName;

    private static readonly Guid SessionId = Guid.Parse("5d0c3f7e-2b1a-4e8b-9a51-0f6e2c7d8b34");

    [Fact]
    public void TheSealedHeader_NamesTheCultureAndTheUICulture_TheSessionJsonRecorded()
    {
        var identity = new SessionIdentity(SessionId, @"AZURESTACK\cloudadmin", "ERCS01", "10.0.0.7", DateTimeOffset.UnixEpoch, _folder, "en-US", "de-DE");
        SessionHeader.From(identity).WriteTo(_folder);

        string block = SealedTranscriptWriter.HeaderBlock(SessionHeader.ReadFrom(_folder, SessionId, "ERCS01"), DateTimeOffset.UnixEpoch, "Closed");

        string[] lines = block.Split('\n');
        Assert.Contains("Culture: en-US", lines);
        Assert.Contains("UI culture: de-DE", lines);
        Assert.Contains("\"uiCulture\": \"de-DE\"", File.ReadAllText(Path.Combine(_folder, SessionHeader.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void ASessionJsonFromBeforeTheUICultureWasRecorded_IsSealedWithItsCultureAndSaysTheUICultureIsNotRecorded()
    {
        File.WriteAllText(Path.Combine(_folder, SessionHeader.FileName), $$"""
            { "sessionId": "{{SessionId}}", "user": "AZURESTACK\\cloudadmin", "instance": "ERCS01", "clientAddress": "10.0.0.7", "startedUtc": "2026-11-01T00:00:00Z", "culture": "de-DE" }
            """);

        string[] lines = SealedTranscriptWriter.HeaderBlock(SessionHeader.ReadFrom(_folder, SessionId, "ERCS01"), DateTimeOffset.UnixEpoch, "Closed").Split('\n');

        Assert.Contains("User: AZURESTACK\\cloudadmin", lines);
        Assert.Contains("Culture: de-DE", lines);
        Assert.Contains("UI culture: (not recorded)", lines);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
