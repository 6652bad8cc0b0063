using Pep.Core.Transcripts;

namespace Pep.Core.Tests.Transcripts;

/// <summary>The signed statement of a ledger's head, and what a verifier concludes from it.</summary>
public sealed class ChainHeadTests
{
    private static readonly DateTimeOffset Stated = new(2026, 11, 25, 11, 0, 0, TimeSpan.Zero);

    private static void WriteHead(DeliveredFolder folder, string path)
        => File.WriteAllBytes(Path.Combine(path, DeliveredNames.Head(DeliveredFolder.Instance, TestKeys.Instance.PublicKeyId)),
            ChainHead.State(DeliveredFolder.Instance, folder.Entries, Stated, TestKeys.Instance).ToJsonBytes());

    /// <summary>Removes the last <paramref name="count"/> entries from the ledger and the transcripts they seal, as someone hiding sessions would.</summary>
    private static void RemoveTail(DeliveredFolder folder, int count)
    {
        foreach (LedgerEntry removed in folder.Entries.TakeLast(count))
        {
            File.Delete(Path.Combine(folder.Path, removed.File));
        }

        folder.Entries.RemoveRange(folder.Entries.Count - count, count);
        folder.WriteLedger(folder.Entries.Select(e => e.ToJsonLine()));
    }

    [Fact]
    public void AHeadThatMatchesItsLedger_VerifiesIntact()
    {
        using var folder = new DeliveredFolder(3);
        WriteHead(folder, folder.Path);

        VerificationReport report = LedgerVerifier.Verify(folder.Path);

        Assert.True(report.IsIntact, string.Join("\n", report.Problems));
        Assert.DoesNotContain(report.Findings, f => f.Kind == FindingKind.Unanchored);
    }

    [Fact]
    public void RemovingTheLastEntriesAndTheirTranscripts_FailsAgainstTheHeadThatTravelsWithTheLedger()
    {
        using var folder = new DeliveredFolder(3);
        WriteHead(folder, folder.Path);
        RemoveTail(folder, 1);

        VerificationReport report = LedgerVerifier.Verify(folder.Path);

        VerificationFinding truncated = Assert.Single(report.Problems);
        Assert.Equal(FindingKind.Truncated, truncated.Kind);
        Assert.Contains("ends at entry 2", truncated.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void RemovingTheTailAndTheHead_FailsGivenThePreviousDelivery()
    {
        using var previous = new DeliveredFolder(2);
        WriteHead(previous, previous.Path);
        using var current = new DeliveredFolder(0);
        current.Entries.AddRange(previous.Entries);
        foreach (LedgerEntry entry in previous.Entries)
        {
            File.Copy(Path.Combine(previous.Path, entry.File), Path.Combine(current.Path, entry.File));
        }

        RemoveTail(current, 1);

        VerificationReport alone = LedgerVerifier.Verify(current.Path);
        VerificationReport report = LedgerVerifier.Verify(current.Path, previousFolder: previous.Path);

        Assert.True(alone.IsIntact, "without the previous delivery, a folder with no head can only be reported as unanchored");
        Assert.Contains(alone.Findings, f => f.Kind == FindingKind.Unanchored);
        Assert.Contains(report.Problems, f => f.Kind == FindingKind.Truncated && f.Detail.Contains("the previous delivery's signed head (entry 2", StringComparison.Ordinal));
        Assert.Contains(report.Problems, f => f.Kind == FindingKind.Truncated && f.Detail.Contains("no signed head", StringComparison.Ordinal));
    }

    [Fact]
    public void AHeadWithAnAlteredCount_IsForged()
    {
        using var folder = new DeliveredFolder(2);
        ChainHead head = ChainHead.State(DeliveredFolder.Instance, folder.Entries, Stated, TestKeys.Instance) with { Entries = 1 };
        File.WriteAllBytes(Path.Combine(folder.Path, DeliveredNames.Head(DeliveredFolder.Instance, TestKeys.Instance.PublicKeyId)), head.ToJsonBytes());

        Assert.Contains(LedgerVerifier.Verify(folder.Path).Problems, f => f.Kind == FindingKind.Forged);
    }
}
