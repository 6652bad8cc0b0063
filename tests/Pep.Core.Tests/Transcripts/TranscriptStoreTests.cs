using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Sessions;
using Pep.Core.Transcripts;

namespace Pep.Core.Tests.Transcripts;

public sealed class TranscriptStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pep-store-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly TranscriptStore _store;

    public TranscriptStoreTests()
    {
        var layout = new StateLayout(_root);
        Directory.CreateDirectory(layout.TranscriptDirectory("ERCS01"));
        _store = new TranscriptStore(layout, "ERCS01", _time);
    }

    private Guid LiveSession(string transcript)
    {
        var identity = new SessionIdentity(Guid.NewGuid(), @"AZURESTACK\cloudadmin", "ERCS01", "10.0.0.7", _time.GetUtcNow(), _root, "en-US", "en-US");
        string folder = LiveTranscriptFolder.Create(new StateLayout(_root), identity);
        Directory.CreateDirectory(Path.Combine(folder, "20261125"));
        File.WriteAllText(Path.Combine(folder, "20261125", "PowerShell_transcript.vm.abc.20261125120000.txt"), transcript);
        return identity.SessionId;
    }

    [Fact]
    public void SealEnded_WritesOneFileHeadedWithTheSession_ChainsASignedEntry_AndRemovesTheLiveFolder()
    {
        Guid first = LiveSession("PS>first\n");
        Guid second = LiveSession("PS>second\n");

        LedgerEntry a = _store.SealEnded(first, _time.GetUtcNow(), SessionEndReason.ClientGone, TestKeys.Instance);
        LedgerEntry b = _store.SealEnded(second, _time.GetUtcNow(), SessionEndReason.HostExited, TestKeys.Instance);

        Assert.Equal(LedgerEntry.GenesisHash, a.PreviousHash);
        Assert.Equal(a.Hash(), b.PreviousHash);
        Assert.True(LedgerChain.IsSignedBy(b, TestKeys.Instance));
        string path = Path.Combine(_store.SealedDirectory, b.File);
        string text = File.ReadAllText(path);
        Assert.StartsWith("**********************\nPrivileged endpoint session transcript\nUser: AZURESTACK\\cloudadmin\nInstance: ERCS01\nSession ID: " + second.ToString("D"), text, StringComparison.Ordinal);
        Assert.Contains("Client address: 10.0.0.7\n", text, StringComparison.Ordinal);
        Assert.Contains("End reason: HostExited\n", text, StringComparison.Ordinal);
        Assert.Contains("PS>second\n", text, StringComparison.Ordinal);
        Assert.EndsWith("(nothing refused)\n", text, StringComparison.Ordinal);
        Assert.Equal(b.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        Assert.False(Directory.Exists(_store.LiveFolder(second)));
        Assert.Equal([a, b], LedgerFile.ReadEntries(_store.LedgerPath));
    }

    [Fact]
    public void SealAbandoned_SealsUnsealedFolders_AndFinishesOrRollsBackAnInterruptedSeal()
    {
        Guid left = LiveSession("PS>left behind\n");
        Guid done = LiveSession("PS>done\n");
        LedgerEntry sealedBefore = _store.SealEnded(done, _time.GetUtcNow(), SessionEndReason.Closed, TestKeys.Instance);

        // A crash after the ledger entry but before the rename, and one before the entry.
        string final = Path.Combine(_store.SealedDirectory, sealedBefore.File);
        File.Move(final, Path.Combine(_store.SealedDirectory, "." + sealedBefore.File + ".sealing"));
        File.WriteAllText(Path.Combine(_store.SealedDirectory, ".PEP_ERCS01_20261125T120000Z_" + Guid.NewGuid().ToString("N") + "_000009.txt.sealing"), "x");

        IReadOnlyList<LedgerEntry> sealedNow = _store.SealAbandoned(TestKeys.Instance);

        LedgerEntry entry = Assert.Single(sealedNow);
        Assert.Equal(left, entry.SessionId);
        Assert.Equal("GatewayRestart", entry.EndReason);
        Assert.True(File.Exists(final));
        Assert.Empty(Directory.GetFiles(_store.SealedDirectory, ".*"));
        Assert.False(Directory.Exists(_store.LiveFolder(left)));
        Assert.Empty(_store.SealAbandoned(TestKeys.Instance));
    }

    [Fact]
    public void SealForClose_SealsTheRunningSession_SnapshotsWhatIsPending_AndOnlyAConfirmedCloseCountsAsSealed()
    {
        Guid earlier = LiveSession("PS>earlier\n");
        _store.SealEnded(earlier, _time.GetUtcNow(), SessionEndReason.Closed, TestKeys.Instance);
        Guid running = LiveSession("PS>running\n");

        DeliverySnapshot snapshot = _store.SealForClose(running, SessionEndReason.Closed, TestKeys.Instance, @"\\10.0.0.5\audit\pep");

        Assert.Equal(2, snapshot.Transcripts.Count);
        Assert.Equal(File.ReadAllBytes(_store.LedgerPath), snapshot.Ledger);
        Assert.Equal(DeliveredNames.Ledger("ERCS01", TestKeys.Instance.PublicKeyId), snapshot.LedgerName);
        Assert.True(Directory.Exists(_store.LiveFolder(running)));
        Assert.False(GatewaySessionFolder.IsSealed(_store.GatewayFolder(running)));
        _store.ConfirmClosed(running);
        Assert.True(GatewaySessionFolder.IsSealed(_store.GatewayFolder(running)));
    }

    [Fact]
    public void SealForClose_RecordsWhereEachPendingTranscriptIsSent_InSignedChainedEntries()
    {
        Guid earlier = LiveSession("PS>earlier\n");
        LedgerEntry earlierSeal = _store.SealEnded(earlier, _time.GetUtcNow(), SessionEndReason.ClientGone, TestKeys.Instance);
        _time.Advance(TimeSpan.FromMinutes(5));

        DeliverySnapshot snapshot = _store.SealForClose(LiveSession("PS>running\n"), SessionEndReason.Closed, TestKeys.Instance, @"\\10.0.0.5\audit\pep");

        IReadOnlyList<LedgerEntry> ledger = LedgerFile.ReadEntries(_store.LedgerPath);
        Assert.Equal([null, null, LedgerEntry.DeliveryKind, LedgerEntry.DeliveryKind], ledger.Select(e => e.Kind));
        Assert.Equal(snapshot.Transcripts.Select(t => t.Entry.File), ledger.Skip(2).Select(e => e.File));
        Assert.All(ledger.Skip(2), delivery =>
        {
            Assert.Equal(@"\\10.0.0.5\audit\pep", delivery.Destination);
            Assert.Equal(_time.GetUtcNow(), delivery.SealedUtc);
            Assert.True(LedgerChain.IsSignedBy(delivery, TestKeys.Instance));
        });
        Assert.Equal(earlierSeal with { Sequence = 3, SealedUtc = _time.GetUtcNow(), PreviousHash = ledger[1].Hash(), Kind = LedgerEntry.DeliveryKind, Destination = @"\\10.0.0.5\audit\pep", Signature = ledger[2].Signature }, ledger[2]);
        Assert.Equal(ledger[2].Hash(), ledger[3].PreviousHash);
        Assert.Equal(File.ReadAllBytes(_store.LedgerPath), snapshot.Ledger);
    }

    [Fact]
    public void SealForClose_AfterAFailedClose_SendsEachTranscriptOnce_AndRecordsTheNewDestination()
    {
        Guid running = LiveSession("PS>running\n");
        _store.SealForClose(running, SessionEndReason.Closed, TestKeys.Instance, "/mnt/first");
        _store.ReopenAfterFailedClose(running);

        DeliverySnapshot retry = _store.SealForClose(running, SessionEndReason.Closed, TestKeys.Instance, "/mnt/second");

        Assert.Equal(2, retry.Transcripts.Count);
        Assert.Equal(["/mnt/first", "/mnt/second", "/mnt/second"], LedgerFile.ReadEntries(_store.LedgerPath).Where(e => e.IsDelivery).Select(e => e.Destination));
    }

    [Fact]
    public void SealAbandoned_ASessionWhoseCloseWasInterrupted_IsSealedAgainInFull()
    {
        Guid running = LiveSession("PS>running\n");
        _store.SealForClose(running, SessionEndReason.Closed, TestKeys.Instance, @"\\10.0.0.5\audit\pep");
        File.AppendAllText(Directory.GetFiles(_store.LiveFolder(running), "PowerShell_transcript*", SearchOption.AllDirectories)[0], "PS>after the seal\n");

        LedgerEntry again = Assert.Single(_store.SealAbandoned(TestKeys.Instance));

        Assert.Equal(running, again.SessionId);
        Assert.Contains("PS>after the seal\n", File.ReadAllText(Path.Combine(_store.SealedDirectory, again.File)), StringComparison.Ordinal);
    }

    [Fact]
    public void SealEnded_CarriesTheSessionsOtherRecordsInsideTheOneFile()
    {
        Guid session = LiveSession("PS>elevated\n");
        File.WriteAllText(Path.Combine(_store.LiveFolder(session), "support.log"), "{\"event\":\"Elevated\"}\n");
        File.WriteAllText(Path.Combine(_store.LiveFolder(session), EndpointStreamLog.FileName), "VERBOSE [X] copying\n");

        LedgerEntry entry = _store.SealEnded(session, _time.GetUtcNow(), SessionEndReason.Closed, TestKeys.Instance);

        string text = File.ReadAllText(Path.Combine(_store.SealedDirectory, entry.File));
        Assert.Contains("VERBOSE [X] copying", text, StringComparison.Ordinal);
        Assert.Contains("support.log [000000000021 bytes]\n**********************\n{\"event\":\"Elevated\"}\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"state\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsealedSessions_TellOpenFromEnded_AndLeaveOutTheCallerAndSealedOnes()
    {
        Guid caller = LiveSession("PS>caller\n");
        Guid running = LiveSession("PS>running\n");
        Guid starting = LiveSession("PS>no host yet\n");
        Guid marked = LiveSession("PS>client left\n");
        Guid hostGone = LiveSession("PS>host killed\n");
        Guid closedByClose = LiveSession("PS>closed\n");
        SessionHostRecord.ForProcess(Environment.ProcessId)!.WriteTo(_store.GatewayFolder(running));
        _store.MarkEnded(marked, SessionEndReason.ClientGone);
        new SessionHostRecord(Environment.ProcessId, StartTicks: 1).WriteTo(_store.GatewayFolder(hostGone));
        _store.ConfirmClosed(closedByClose);

        Dictionary<Guid, LiveSessionState> unsealed = _store.UnsealedSessions(caller).ToDictionary(s => s.SessionId, s => s.State);

        Assert.Equal(new Dictionary<Guid, LiveSessionState>
        {
            [running] = LiveSessionState.Open,
            [starting] = LiveSessionState.Open,
            [marked] = LiveSessionState.Ended,
            [hostGone] = LiveSessionState.Ended,
        }, unsealed);
    }

    [Fact]
    public void SealEnded_LeavesTheGatewaysSessionRecordsOutOfTheSealedTranscript()
    {
        Guid session = LiveSession("PS>only this\n");
        SessionHostRecord.ForProcess(Environment.ProcessId)!.WriteTo(_store.GatewayFolder(session));
        _store.MarkEnded(session, SessionEndReason.Closed);

        LedgerEntry entry = _store.SealEnded(session, _time.GetUtcNow(), SessionEndReason.Closed, TestKeys.Instance);

        string text = File.ReadAllText(Path.Combine(_store.SealedDirectory, entry.File));
        Assert.DoesNotContain(SessionHostRecord.FileName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewaySessionFolder.EndedFile, text, StringComparison.Ordinal);
        Assert.Contains("PS>only this\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void SealForClose_StatesTheChainHead_AndTheNextCloseRefusesALedgerThatLostItsTail()
    {
        Guid earlier = LiveSession("PS>earlier\n");
        _store.SealEnded(earlier, _time.GetUtcNow(), SessionEndReason.ClientGone, TestKeys.Instance);
        Guid first = LiveSession("PS>first close\n");

        DeliverySnapshot snapshot = _store.SealForClose(first, SessionEndReason.Closed, TestKeys.Instance, "/mnt/first");

        ChainHead head = ChainHead.TryParse(snapshot.Head!)!;
        IReadOnlyList<LedgerEntry> ledger = LedgerFile.ReadEntries(_store.LedgerPath);
        Assert.Equal(ledger[^1].Sequence, head.Entries);
        Assert.Equal(ledger[^1].Hash(), head.HeadHash);
        Assert.True(head.IsSignedBy(TestKeys.Instance));
        Assert.Equal(DeliveredNames.Head("ERCS01", TestKeys.Instance.PublicKeyId), snapshot.HeadName);

        _store.ConfirmClosed(first);
        File.WriteAllLines(_store.LedgerPath, File.ReadAllLines(_store.LedgerPath)[..^2]);
        Guid second = LiveSession("PS>second close\n");

        InvalidDataException refused = Assert.Throws<InvalidDataException>(() => _store.SealForClose(second, SessionEndReason.Closed, TestKeys.Instance, "/mnt/second"));
        Assert.Contains($"entry {head.Entries}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ledger.Count - 2, LedgerFile.ReadEntries(_store.LedgerPath).Count);
    }

    [Fact]
    public void ARecordPipelineTheTranscriptLacks_IsADisagreement_AndOneStillRunningIsNot()
    {
        Guid session = LiveSession("PS>Get-AzureStackStampInformation\n");
        string time = "2026-11-25T12:00:00.000Z";
        File.WriteAllText(Path.Combine(_store.GatewayFolder(session), GatewaySessionFolder.RecordFile),
            $"{time} Pipeline    aaaaaaaa Get-AzureStackStampInformation\n{time} State       aaaaaaaa Completed\n" +
            $"{time} Pipeline    bbbbbbbb New-CloudAdminUser -UserName 'intruder'\n{time} State       bbbbbbbb Completed\n" +
            $"{time} Pipeline    cccccccc Close-PrivilegedEndpoint -TranscriptsPathDestination '/mnt/x'\n");

        LedgerEntry entry = _store.SealEnded(session, _time.GetUtcNow(), SessionEndReason.Closed, TestKeys.Instance);

        var sections = SealedTranscriptSections.Read(Path.Combine(_store.SealedDirectory, entry.File));
        Assert.NotNull(sections);
        string disagreement = Assert.Single(RecordComparison.Disagreements(sections.Value.Sections));
        Assert.Contains("'New-CloudAdminUser -UserName 'intruder'' (pipeline bbbbbbbb, 2026-11-25 12:00:00Z)", disagreement, StringComparison.Ordinal);
    }

    [Fact]
    public void FileLock_IsExclusiveUntilReleased()
    {
        string path = Path.Combine(_root, "test.lock");
        using (FileLock.Acquire(path, TimeSpan.FromSeconds(1), CancellationToken.None))
        {
            Assert.Throws<TimeoutException>(() => FileLock.Acquire(path, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        }

        using FileLock again = FileLock.Acquire(path, TimeSpan.FromSeconds(1), CancellationToken.None);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
