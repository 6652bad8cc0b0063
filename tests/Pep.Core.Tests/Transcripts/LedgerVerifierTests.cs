using Pep.Core.Transcripts;

namespace Pep.Core.Tests.Transcripts;

public sealed class LedgerVerifierTests
{
    [Fact]
    public void Verify_AnUntouchedFolder_ReportsEveryTranscriptIntact()
    {
        using var folder = new DeliveredFolder(3);

        VerificationReport report = LedgerVerifier.Verify(folder.Path);

        Assert.True(report.IsIntact, string.Join("\n", report.Findings));
        Assert.Equal(folder.Entries.Select(e => e.File), report.Findings.Where(f => f.Kind == FindingKind.Intact).Select(f => f.Subject));
    }

    [Fact]
    public void Verify_OneFlippedByte_NamesExactlyThatTranscriptAsChanged()
    {
        using var folder = new DeliveredFolder(3);
        byte[] bytes = File.ReadAllBytes(folder.TranscriptPath(1));
        bytes[3] ^= 0x20;
        File.WriteAllBytes(folder.TranscriptPath(1), bytes);

        VerificationReport report = LedgerVerifier.Verify(folder.Path);

        VerificationFinding problem = Assert.Single(report.Problems);
        Assert.Equal(FindingKind.Changed, problem.Kind);
        Assert.Equal(folder.Entries[1].File, problem.Subject);
    }

    [Fact]
    public void Verify_ARemovedTranscript_IsReportedRemoved()
    {
        using var folder = new DeliveredFolder(3);
        File.Delete(folder.TranscriptPath(0));

        VerificationFinding problem = Assert.Single(LedgerVerifier.Verify(folder.Path).Problems);

        Assert.Equal(FindingKind.Removed, problem.Kind);
        Assert.Equal(folder.Entries[0].File, problem.Subject);
    }

    [Fact]
    public void Verify_ReorderedEntries_AreReportedReordered()
    {
        using var folder = new DeliveredFolder(3);
        string[] lines = folder.LedgerLines();
        folder.WriteLedger([lines[0], lines[2], lines[1]]);

        VerificationFinding problem = Assert.Single(LedgerVerifier.Verify(folder.Path).Problems);

        Assert.Equal(FindingKind.Reordered, problem.Kind);
        Assert.Contains("entry 2", problem.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AnEntryRemovedFromTheLedger_IsMissingFromTheChain_AndItsTranscriptUnsealed()
    {
        using var folder = new DeliveredFolder(3);
        string[] lines = folder.LedgerLines();
        folder.WriteLedger([lines[0], lines[2]]);

        VerificationFinding[] problems = [.. LedgerVerifier.Verify(folder.Path).Problems];

        Assert.Contains(problems, p => p.Kind == FindingKind.MissingFromChain && p.Detail.Contains("entry 2 is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Kind == FindingKind.Unsealed && p.Subject == folder.Entries[1].File);
        Assert.Equal(2, problems.Length);
    }

    [Fact]
    public void Verify_AnAlteredEntry_IsReportedForged()
    {
        using var folder = new DeliveredFolder(3);
        string[] lines = folder.LedgerLines();
        lines[1] = lines[1].Replace("cloudadmin", "someoneelse", StringComparison.Ordinal);
        folder.WriteLedger(lines);

        VerificationFinding[] problems = [.. LedgerVerifier.Verify(folder.Path).Problems];

        Assert.Contains(problems, p => p.Kind == FindingKind.Forged && p.Subject.Contains("entry 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_AnEntrySignedWithAnotherKey_ForAReplacedTranscript_IsReportedForged()
    {
        using var folder = new DeliveredFolder(2);
        LedgerEntry original = folder.Entries[1];
        File.WriteAllText(folder.TranscriptPath(1), "a different story\n");
        var forgedRequest = new SealRequest(original.Instance, original.SessionId, original.File,
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("a different story\n"u8)), 18,
            original.User, original.ClientAddress, original.StartedUtc, original.EndedUtc, original.SealedUtc, original.EndReason);
        LedgerEntry forged = LedgerChain.Next(folder.Entries[0], forgedRequest, TestKeys.Other) with { KeyId = TestKeys.Instance.PublicKeyId };
        folder.WriteLedger([folder.LedgerLines()[0], forged.ToJsonLine()]);

        VerificationFinding[] problems = [.. LedgerVerifier.Verify(folder.Path).Problems];

        Assert.Contains(problems, p => p.Kind == FindingKind.Forged);
        Assert.Contains(problems, p => p.Kind == FindingKind.Unsealed && p.Subject == original.File);
    }

    [Fact]
    public void Verify_ATranscriptNoLedgerSeals_IsReportedUnsealed()
    {
        using var folder = new DeliveredFolder(1);
        string extra = DeliveredNames.Transcript(DeliveredFolder.Instance, DateTimeOffset.UtcNow, Guid.NewGuid(), 7);
        File.WriteAllText(Path.Combine(folder.Path, extra), "planted\n");

        VerificationFinding problem = Assert.Single(LedgerVerifier.Verify(folder.Path).Problems);

        Assert.Equal(FindingKind.Unsealed, problem.Kind);
        Assert.Equal(extra, problem.Subject);
    }

    [Fact]
    public void Verify_AFolderWithoutLedger_IsNotIntact()
    {
        using var folder = new DeliveredFolder(1);
        File.Delete(folder.LedgerPath);

        VerificationReport report = LedgerVerifier.Verify(folder.Path);

        Assert.False(report.IsIntact);
        Assert.Contains(report.Problems, p => p.Kind == FindingKind.Unsealed);
    }

    [Fact]
    public void Verify_ALedgerWhosePublicKeyWasSwapped_IsNotTrusted()
    {
        using var folder = new DeliveredFolder(1);
        File.WriteAllText(Path.Combine(folder.Path, DeliveredNames.PublicKey(DeliveredFolder.Instance, TestKeys.Instance.PublicKeyId)), TestKeys.Other.ExportPublicKeyPem());

        VerificationReport report = LedgerVerifier.Verify(folder.Path);

        Assert.False(report.IsIntact);
        Assert.Contains(report.Problems, p => p.Kind == FindingKind.Malformed && p.Detail.Contains("key", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_WithTrustedKeys_RefusesAFolderReSignedWithAnotherKey()
    {
        using var folder = new DeliveredFolder(1);

        Assert.True(LedgerVerifier.Verify(folder.Path, new HashSet<string> { TestKeys.Instance.PublicKeyId }).IsIntact);
        VerificationReport report = LedgerVerifier.Verify(folder.Path, new HashSet<string> { TestKeys.Other.PublicKeyId });

        Assert.Contains(report.Problems, p => p.Kind == FindingKind.Forged && p.Detail.Contains("not one of the trusted", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_DeliveryEntries_SayWhereEachTranscriptWent()
    {
        using var folder = new DeliveredFolder(2);
        folder.RecordDeliveries(@"\\fileserver\pep\ercs01", new DateTimeOffset(2026, 11, 25, 11, 0, 0, TimeSpan.Zero));

        VerificationReport report = LedgerVerifier.Verify(folder.Path);

        Assert.True(report.IsIntact, string.Join("\n", report.Findings));
        List<VerificationFinding> transcripts = [.. report.Findings.Where(f => f.Kind == FindingKind.Intact)];
        Assert.Equal(2, transcripts.Count);
        Assert.All(transcripts, f => Assert.EndsWith(@"; delivered to \\fileserver\pep\ercs01 at 2026-11-25 11:00:00Z (entry " + (f.Subject == folder.Entries[0].File ? "3)" : "4)"), f.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ADeliveryEntryWhoseDestinationWasChanged_IsReportedForged()
    {
        using var folder = new DeliveredFolder(1);
        folder.RecordDeliveries(@"\\fileserver\pep", DateTimeOffset.UtcNow);
        string[] lines = folder.LedgerLines();
        lines[1] = lines[1].Replace("fileserver", "elsewhere", StringComparison.Ordinal);
        folder.WriteLedger(lines);

        Assert.Contains(LedgerVerifier.Verify(folder.Path).Problems, p => p.Kind == FindingKind.Forged && p.Subject.Contains("entry 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ADestinationWrittenIntoASealEntry_IsReportedForged()
    {
        using var folder = new DeliveredFolder(1);
        string[] lines = folder.LedgerLines();
        folder.WriteLedger([lines[0].Replace("\"signature\"", "\"destination\":\"\\\\\\\\fileserver\\\\pep\",\"signature\"", StringComparison.Ordinal)]);

        VerificationReport report = LedgerVerifier.Verify(folder.Path);

        Assert.Contains(report.Problems, p => p.Kind == FindingKind.Forged);
        Assert.DoesNotContain(report.Findings, f => f.Detail.Contains("delivered to", StringComparison.Ordinal));
    }
}
