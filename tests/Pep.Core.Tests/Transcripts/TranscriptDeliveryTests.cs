using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Sessions;
using Pep.Core.Shares;
using Pep.Core.Transcripts;

namespace Pep.Core.Tests.Transcripts;

public sealed class TranscriptDeliveryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pep-delivery-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly TranscriptStore _store;

    public TranscriptDeliveryTests()
    {
        var layout = new StateLayout(Path.Combine(_root, "state"));
        Directory.CreateDirectory(layout.TranscriptDirectory("ERCS01"));
        Directory.CreateDirectory(Work);
        Directory.CreateDirectory(Target);
        _store = new TranscriptStore(layout, "ERCS01", TimeProvider.System);
    }

    private string Work => Path.Combine(_root, "work");

    private string Target => Path.Combine(_root, "share");

    private DeliverySnapshot TwoSessions()
    {
        Guid ended = Live("PS>ended\n");
        _store.SealEnded(ended, DateTimeOffset.UtcNow, SessionEndReason.ClientGone, TestKeys.Instance);
        return _store.SealForClose(Live("PS>closing\n"), SessionEndReason.Closed, TestKeys.Instance, Target);
    }

    private Guid Live(string transcript)
    {
        var identity = new SessionIdentity(Guid.NewGuid(), @"AZURESTACK\cloudadmin", "ERCS01", "10.0.0.7", DateTimeOffset.UtcNow, _root, "en-US", "en-US");
        string folder = LiveTranscriptFolder.Create(new StateLayout(_root), identity);
        File.WriteAllText(Path.Combine(folder, "PowerShell_transcript.vm.x.txt"), transcript);
        return identity.SessionId;
    }

    [Fact]
    public void Deliver_ToALocalRoot_LeavesAFolderThatVerifies()
    {
        DeliverySnapshot snapshot = TwoSessions();
        using var destination = new LocalDestination(Target, Target, [Target]);
        destination.Prepare(CancellationToken.None);

        TranscriptDelivery.Deliver(snapshot, destination, Work, (_, _, _) => { }, _ => { }, CancellationToken.None);

        VerificationReport report = LedgerVerifier.Verify(Target);
        Assert.True(report.IsIntact, string.Join("\n", report.Findings));
        Assert.Equal(2, report.Findings.Count);
        Assert.All(report.Findings, f => Assert.Contains($"delivered to {Target} at ", f.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public void Deliver_WhenACopyReadsBackDifferent_FailsWithoutGivingItItsFinalName()
    {
        DeliverySnapshot snapshot = TwoSessions();
        using var destination = new CorruptingDestination(Target);

        var e = Assert.Throws<DestinationException>(() => TranscriptDelivery.Deliver(snapshot, destination, Work, (_, _, _) => { }, _ => { }, CancellationToken.None));

        Assert.Equal(DestinationFailure.VerificationFailed, e.Failure);
        Assert.Empty(Directory.GetFiles(Target));
        Assert.All(snapshot.Transcripts, t => Assert.True(File.Exists(t.Path)));
    }

    /// <summary>A share that flips a byte of what it stores: the read-back must catch it.</summary>
    private sealed class CorruptingDestination(string folder) : ITranscriptDestination
    {
        public string Display => folder;

        public void Prepare(CancellationToken cancellationToken)
        {
        }

        public void Put(string localPath, string name, CancellationToken cancellationToken)
        {
            byte[] bytes = File.ReadAllBytes(localPath);
            bytes[0] ^= 1;
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        public void Get(string name, string localPath, CancellationToken cancellationToken) => File.Copy(Path.Combine(folder, name), localPath, overwrite: true);

        public void Rename(string name, string newName, CancellationToken cancellationToken) => File.Move(Path.Combine(folder, name), Path.Combine(folder, newName), overwrite: true);

        public void TryDelete(string name) => File.Delete(Path.Combine(folder, name));

        public void Dispose()
        {
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
