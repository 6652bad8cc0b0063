using Microsoft.Extensions.Time.Testing;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Sessions;
using Pep.Core.Transcripts;

namespace Pep.Core.Tests.Transcripts;

/// <summary>Sealing reads a live folder the session host could fill with anything, and trusts none of it.</summary>
public sealed class LiveFolderHygieneTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pep-hygiene-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly TranscriptStore _store;
    private readonly StateLayout _layout;

    public LiveFolderHygieneTests()
    {
        _layout = new StateLayout(_root);
        Directory.CreateDirectory(_layout.TranscriptDirectory("ERCS01"));
        _store = new TranscriptStore(_layout, "ERCS01", _time);
    }

    private SessionIdentity Identity() => new(Guid.NewGuid(), @"AZURESTACK\cloudadmin", "ERCS01", "10.0.0.7", _time.GetUtcNow(), _root, "en-US", "en-US");

    private string SealedText(LedgerEntry entry) => File.ReadAllText(Path.Combine(_store.SealedDirectory, entry.File));

    [Fact]
    public void ASymbolicLinkInTheLiveFolder_IsReportedAndNotFollowed()
    {
        SessionIdentity identity = Identity();
        string folder = LiveTranscriptFolder.Create(_layout, identity);
        string secret = Path.Combine(_root, "outside.txt");
        File.WriteAllText(secret, "SECRET OUTSIDE THE FOLDER");
        File.CreateSymbolicLink(Path.Combine(folder, "support.log"), secret);
        File.CreateSymbolicLink(Path.Combine(folder, "PowerShell_transcript.x.txt"), "/dev/null");

        string text = SealedText(_store.SealEnded(identity.SessionId, _time.GetUtcNow(), SessionEndReason.Closed, TestKeys.Instance));

        Assert.DoesNotContain("SECRET OUTSIDE", text, StringComparison.Ordinal);
        Assert.Contains($"support.log: a symbolic link to {secret}: not followed\n", text, StringComparison.Ordinal);
        Assert.Contains("PowerShell_transcript.x.txt: a symbolic link to /dev/null: not followed\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFifoInTheLiveFolder_IsReportedWithoutWaitingOnIt()
    {
        SessionIdentity identity = Identity();
        string folder = LiveTranscriptFolder.Create(_layout, identity);
        string fifo = Path.Combine(folder, "support.log");
        Pep.Core.Platform.CommandOutcome made = await Pep.Core.Platform.CommandRunner.RunAsync(["mkfifo", fifo], TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.True(made.Succeeded, made.Describe());

        // Opening a FIFO for reading without O_NONBLOCK would wait here for a writer that never comes.
        string text = SealedText(_store.SealEnded(identity.SessionId, _time.GetUtcNow(), SessionEndReason.Closed, TestKeys.Instance));

        Assert.Contains("support.log: a FIFO: not read\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileOverTheLimit_IsReportedAndNotCopied()
    {
        SessionIdentity identity = Identity();
        string folder = LiveTranscriptFolder.Create(_layout, identity);
        using (FileStream big = File.Create(Path.Combine(folder, "huge.log")))
        {
            big.SetLength(LiveFolderFiles.MaxFileBytes + 1);
        }

        LedgerEntry entry = _store.SealEnded(identity.SessionId, _time.GetUtcNow(), SessionEndReason.Closed, TestKeys.Instance);

        Assert.Contains($"huge.log: {LiveFolderFiles.MaxFileBytes + 1} bytes, over the limit of {LiveFolderFiles.MaxFileBytes}: not read\n", SealedText(entry), StringComparison.Ordinal);
        Assert.True(entry.Size < 1024 * 1024);
    }

    [Fact]
    public void ASymbolicLinkedFolder_IsNotEntered()
    {
        SessionIdentity identity = Identity();
        string folder = LiveTranscriptFolder.Create(_layout, identity);
        string outside = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(outside, "PowerShell_transcript.y.txt"), "PS>not this session's");
        Directory.CreateSymbolicLink(Path.Combine(folder, "20261125"), outside);

        string text = SealedText(_store.SealEnded(identity.SessionId, _time.GetUtcNow(), SessionEndReason.Closed, TestKeys.Instance));

        Assert.DoesNotContain("not this session's", text, StringComparison.Ordinal);
        Assert.Contains($"20261125: a symbolic link to {outside}: not followed\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHeader_ComesFromTheGateway_NotFromASessionJsonTheHostEdited()
    {
        SessionIdentity identity = Identity();
        string folder = LiveTranscriptFolder.Create(_layout, identity);
        File.WriteAllText(Path.Combine(folder, SessionHeader.FileName),
            $$"""{"sessionId":"{{identity.SessionId}}","user":"AZURESTACK\\someoneelse","instance":"ERCS01","clientAddress":"10.6.6.6","startedUtc":"2026-01-01T00:00:00Z","culture":"en-US"}""");

        LedgerEntry entry = _store.SealEnded(identity.SessionId, _time.GetUtcNow(), SessionEndReason.Closed, TestKeys.Instance);

        var sections = SealedTranscriptSections.Read(Path.Combine(_store.SealedDirectory, entry.File));
        Assert.NotNull(sections);
        Assert.Equal(@"AZURESTACK\cloudadmin", sections.Value.Header["User"]);
        Assert.Equal("10.0.0.7", sections.Value.Header["Client address"]);
        Assert.Equal(@"AZURESTACK\cloudadmin", entry.User);
        Assert.Equal("10.0.0.7", entry.ClientAddress);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
