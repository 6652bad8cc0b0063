using System.Security.Cryptography;
using System.Text;
using Pep.Core.Transcripts;

namespace Pep.Core.Tests.Transcripts;

/// <summary>A destination folder as Close leaves it: transcripts, the ledger that seals them, the instance's public key.</summary>
internal sealed class DeliveredFolder : IDisposable
{
    public const string Instance = "ERCS01";

    public DeliveredFolder(int transcripts)
    {
        Directory.CreateDirectory(Path);
        LedgerEntry? previous = null;
        for (int i = 0; i < transcripts; i++)
        {
            var session = Guid.NewGuid();
            var started = new DateTimeOffset(2026, 11, 25, 10, i, 0, TimeSpan.Zero);
            string name = DeliveredNames.Transcript(Instance, started, session, i + 1);
            byte[] content = Encoding.UTF8.GetBytes($"transcript {i}\nPS>Get-AzureStackStampInformation\n");
            File.WriteAllBytes(System.IO.Path.Combine(Path, name), content);
            previous = LedgerChain.Next(previous, new SealRequest(Instance, session, name, Convert.ToHexStringLower(SHA256.HashData(content)), content.Length,
                @"AZURESTACK\cloudadmin", "10.0.0.9", started, started.AddMinutes(1), started.AddMinutes(1), "Closed"), TestKeys.Instance);
            Entries.Add(previous);
        }

        WriteLedger(Entries.Select(e => e.ToJsonLine()));
        File.WriteAllText(System.IO.Path.Combine(Path, DeliveredNames.PublicKey(Instance, TestKeys.Instance.PublicKeyId)), TestKeys.Instance.ExportPublicKeyPem());
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pep-delivered-" + Guid.NewGuid().ToString("N")[..12]);

    public List<LedgerEntry> Entries { get; } = [];

    public string LedgerPath => System.IO.Path.Combine(Path, DeliveredNames.Ledger(Instance, TestKeys.Instance.PublicKeyId));

    public string TranscriptPath(int index) => System.IO.Path.Combine(Path, Entries[index].File);

    /// <summary>Appends a delivery entry to <paramref name="destination"/> for every transcript, as a Close records them.</summary>
    public void RecordDeliveries(string destination, DateTimeOffset recordedUtc)
    {
        LedgerEntry previous = Entries[^1];
        foreach (LedgerEntry seal in Entries.Where(e => !e.IsDelivery).ToList())
        {
            previous = LedgerChain.NextDelivery(previous, seal, destination, recordedUtc, TestKeys.Instance);
            Entries.Add(previous);
        }

        WriteLedger(Entries.Select(e => e.ToJsonLine()));
    }

    public void WriteLedger(IEnumerable<string> lines) => File.WriteAllText(LedgerPath, string.Concat(lines.Select(l => l + "\n")));

    public string[] LedgerLines() => File.ReadAllLines(LedgerPath);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
