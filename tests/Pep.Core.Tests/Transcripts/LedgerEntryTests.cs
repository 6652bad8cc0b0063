using System.Text;
using Pep.Core.Transcripts;

namespace Pep.Core.Tests.Transcripts;

public sealed class LedgerEntryTests
{
    private static readonly LedgerEntry Seal = new()
    {
        Sequence = 7,
        Instance = "ERCS01",
        KeyId = "k1",
        SessionId = Guid.Parse("0d1e2f30-4152-6374-8596-a7b8c9d0e1f2"),
        File = "PEP_ERCS01_20261125T101500Z_0d1e2f30415263748596a7b8c9d0e1f2_000007.txt",
        Sha256 = new string('a', 64),
        Size = 512,
        User = @"AZURESTACK\cloudadmin",
        ClientAddress = "10.0.0.9",
        StartedUtc = new DateTimeOffset(2026, 11, 25, 10, 15, 0, TimeSpan.Zero),
        EndedUtc = new DateTimeOffset(2026, 11, 25, 10, 20, 0, TimeSpan.Zero),
        SealedUtc = new DateTimeOffset(2026, 11, 25, 10, 20, 1, TimeSpan.Zero),
        EndReason = "Closed",
        PreviousHash = LedgerEntry.GenesisHash,
    };

    [Fact]
    public void SealEntry_KeepsTheCanonicalFormOfLedgersWrittenBeforeDeliveriesWereRecorded()
    {
        string canonical = Encoding.UTF8.GetString(Seal.CanonicalBytes());

        Assert.Equal(
            "pep-transcript-ledger/1\nsequence=7\ninstance=ERCS01\nkeyId=k1\nsessionId=0d1e2f30-4152-6374-8596-a7b8c9d0e1f2\n" +
            $"file={Seal.File}\nsha256={Seal.Sha256}\nsize=512\nuser=AZURESTACK\\cloudadmin\nclientAddress=10.0.0.9\n" +
            "startedUtc=2026-11-25T10:15:00.0000000Z\nendedUtc=2026-11-25T10:20:00.0000000Z\nsealedUtc=2026-11-25T10:20:01.0000000Z\n" +
            $"endReason=Closed\npreviousHash={LedgerEntry.GenesisHash}\n",
            canonical);
        Assert.DoesNotContain("kind", Seal.ToJsonLine(), StringComparison.Ordinal);
        Assert.DoesNotContain("destination", Seal.ToJsonLine(), StringComparison.Ordinal);
    }

    [Fact]
    public void DeliveryEntry_SignsItsKindAndDestination_InTheSecondForm()
    {
        LedgerEntry delivery = LedgerChain.NextDelivery(Seal, Seal, @"\\fileserver\pep", Seal.SealedUtc.AddMinutes(1), TestKeys.Instance);

        string canonical = Encoding.UTF8.GetString(delivery.CanonicalBytes());

        Assert.StartsWith("pep-transcript-ledger/2\n", canonical, StringComparison.Ordinal);
        Assert.EndsWith("\nkind=Delivery\ndestination=\\\\fileserver\\pep\n", canonical, StringComparison.Ordinal);
        Assert.True(LedgerChain.IsSignedBy(delivery, TestKeys.Instance));
        Assert.False(LedgerChain.IsSignedBy(delivery with { Destination = @"\\elsewhere\pep" }, TestKeys.Instance));
        Assert.False(LedgerChain.IsSignedBy(delivery with { Kind = null, Destination = null }, TestKeys.Instance));
        Assert.Equal(delivery, LedgerEntry.TryParse(delivery.ToJsonLine(), out _));
    }

    [Fact]
    public void DeliveryEntry_WithALineBreakInItsDestination_IsRefused()
        => Assert.Throws<ArgumentException>(() => LedgerChain.NextDelivery(Seal, Seal, "/mnt/pep\nsequence=1", Seal.SealedUtc, TestKeys.Instance));
}
