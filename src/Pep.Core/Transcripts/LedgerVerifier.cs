using System.Globalization;
using System.Security.Cryptography;
using Pep.Core.Security;

namespace Pep.Core.Transcripts;

/// <summary>
/// Checks a folder of delivered transcripts offline: each ledger (<c>INSTANCE-KEYID.ledger.jsonl</c>) against
/// its public key (<c>INSTANCE-KEYID.pub.pem</c>), the chain of its entries, and every transcript against
/// its entry. Reports every transcript as intact or says exactly what is wrong with it.
/// </summary>
/// <remarks>
/// The key travels with the ledger, so the report names each key id: compare it with the id the instance
/// printed (or its public key in the state directory) to rule out a folder re-signed with another key.
/// </remarks>
public static class LedgerVerifier
{
    /// <param name="folder">The destination folder.</param>
    /// <param name="trustedKeyIds">When given, a ledger signed by any other key is refused (the auditor's own copy of the instance keys).</param>
    /// <param name="previousFolder">When given, the previous delivery of the same instance: the head it stated must be in this ledger, and this ledger must carry its own.</param>
    public static VerificationReport Verify(string folder, IReadOnlySet<string>? trustedKeyIds = null, string? previousFolder = null)
    {
        var findings = new List<VerificationFinding>();
        var ledgers = new List<string>();
        var sealedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (string ledgerPath in Directory.EnumerateFiles(folder, "*" + DeliveredNames.LedgerSuffix).Order(StringComparer.Ordinal))
        {
            string ledgerName = Path.GetFileName(ledgerPath);
            ledgers.Add(ledgerName);
            string baseName = ledgerName[..^DeliveredNames.LedgerSuffix.Length];
            string keyPath = Path.Combine(folder, baseName + DeliveredNames.PublicKeySuffix);
            if (!File.Exists(keyPath))
            {
                findings.Add(new(FindingKind.Malformed, ledgerName, $"its public key '{Path.GetFileName(keyPath)}' is not in the folder; no entry can be checked"));
                continue;
            }

            using SigningKey key = SigningKey.Load(keyPath);
            if (!baseName.EndsWith("-" + key.PublicKeyId, StringComparison.Ordinal))
            {
                findings.Add(new(FindingKind.Malformed, ledgerName, $"the key beside it has id {key.PublicKeyId}, not the one its name gives"));
                continue;
            }

            if (trustedKeyIds is not null && !trustedKeyIds.Contains(key.PublicKeyId))
            {
                findings.Add(new(FindingKind.Forged, ledgerName, $"signed by key {key.PublicKeyId}, which is not one of the trusted instance keys"));
                continue;
            }

            List<LedgerEntry> chain = VerifyLedger(folder, ledgerName, LedgerFile.Read(ledgerPath), key, findings, sealedFiles);
            CheckHeads(folder, baseName, ledgerName, chain, key, previousFolder, findings);
        }

        if (ledgers.Count == 0)
        {
            findings.Add(new(FindingKind.Malformed, folder, "no ledger (*.ledger.jsonl) in this folder"));
        }

        foreach (string file in Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!)
        {
            if (DeliveredNames.IsTranscript(file!) && !sealedFiles.Contains(file!))
            {
                findings.Add(new(FindingKind.Unsealed, file!, "no ledger entry seals this transcript"));
            }
        }

        return new VerificationReport(findings, ledgers);
    }

    /// <summary>Checks one ledger's entries and the transcripts they seal; pure apart from reading the transcripts. Returns the signed entries in chain order.</summary>
    public static List<LedgerEntry> VerifyLedger(string folder, string ledgerName, IReadOnlyList<LedgerFile.Line> lines, SigningKey key,
        List<VerificationFinding> findings, HashSet<string> sealedFiles)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(sealedFiles);
        var trusted = new List<LedgerEntry>();
        foreach (LedgerFile.Line line in lines)
        {
            if (line.Entry is null)
            {
                findings.Add(new(FindingKind.Malformed, $"{ledgerName} line {line.Number}", line.Error ?? "not an entry"));
            }
            else if (!LedgerChain.IsSignedBy(line.Entry, key))
            {
                findings.Add(new(FindingKind.Forged, EntryName(line.Entry), $"line {line.Number} of {ledgerName}: the signature does not verify with key {key.PublicKeyId} (forged or altered entry)"));
            }
            else
            {
                trusted.Add(line.Entry);
            }
        }

        for (int i = 1; i < trusted.Count; i++)
        {
            if (trusted[i].Sequence <= trusted[i - 1].Sequence)
            {
                findings.Add(new(FindingKind.Reordered, EntryName(trusted[i]), $"it comes after entry {trusted[i - 1].Sequence} in {ledgerName}"));
            }
        }

        List<LedgerEntry> chain = [.. trusted.OrderBy(e => e.Sequence)];
        long expected = 1;
        string previousHash = LedgerEntry.GenesisHash;
        var seals = new List<LedgerEntry>();
        var sealedHashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var deliveries = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        foreach (LedgerEntry entry in chain)
        {
            if (entry.Sequence < expected)
            {
                findings.Add(new(FindingKind.MissingFromChain, EntryName(entry), "a second entry with the same sequence number"));
                continue;
            }

            if (entry.Sequence > expected)
            {
                string gap = entry.Sequence - 1 == expected ? $"entry {expected} is" : $"entries {expected} to {entry.Sequence - 1} are";
                findings.Add(new(FindingKind.MissingFromChain, EntryName(entry), $"{gap} missing from the chain before it"));
            }
            else if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                findings.Add(new(FindingKind.MissingFromChain, EntryName(entry), $"it does not name entry {expected - 1}'s hash as its predecessor"));
            }

            expected = entry.Sequence + 1;
            previousHash = entry.Hash();
            if (!entry.IsDelivery)
            {
                seals.Add(entry);
                sealedHashes[entry.File] = entry.Sha256;
            }
            else if (sealedHashes.GetValueOrDefault(entry.File) == entry.Sha256 && !string.IsNullOrWhiteSpace(entry.Destination))
            {
                // The latest delivery of a transcript is where it went; an earlier one was a Close that failed.
                deliveries[entry.File] = entry;
            }
            else
            {
                findings.Add(new(FindingKind.Malformed, EntryName(entry), "a delivery entry for a transcript no earlier entry seals, or with no destination"));
            }
        }

        foreach (LedgerEntry seal in seals)
        {
            sealedFiles.Add(seal.File);
            VerificationFinding finding = CheckTranscript(folder, seal, deliveries.GetValueOrDefault(seal.File));
            findings.Add(finding);
            if (finding.Kind == FindingKind.Intact && SealedTranscriptSections.Read(Path.Combine(folder, seal.File)) is { } read)
            {
                findings.AddRange(RecordComparison.Disagreements(read.Sections).Select(d => new VerificationFinding(FindingKind.Disagrees, seal.File, d)));
            }
        }

        return chain;
    }

    /// <summary>
    /// The ledger's own signed head must be its last entry; given the previous delivery, the head that one stated must
    /// be in this ledger (and this ledger must carry a head of its own).
    /// </summary>
    private static void CheckHeads(string folder, string baseName, string ledgerName, List<LedgerEntry> chain, SigningKey key, string? previousFolder, List<VerificationFinding> findings)
    {
        string headName = baseName + DeliveredNames.HeadSuffix;
        ChainHead? head = ChainHead.TryRead(Path.Combine(folder, headName));
        LedgerEntry? last = chain.Count > 0 ? chain[^1] : null;
        if (head is null)
        {
            findings.Add(new(previousFolder is null ? FindingKind.Unanchored : FindingKind.Truncated, ledgerName,
                $"no signed head ({headName}) travels with it: removing its last entries shows only against a previous delivery (pep verify --previous)"));
        }
        else if (!head.IsSignedBy(key))
        {
            findings.Add(new(FindingKind.Forged, headName, $"the head's signature does not verify with key {key.PublicKeyId}"));
        }
        else if (last is null || last.Sequence != head.Entries || !string.Equals(last.Hash(), head.HeadHash, StringComparison.Ordinal))
        {
            findings.Add(new(FindingKind.Truncated, ledgerName, $"its signed head is {head.Describe()}, but the ledger ends at entry {last?.Sequence ?? 0}: its last entries were removed or replaced"));
        }

        if (previousFolder is null)
        {
            return;
        }

        ChainHead? previous = ChainHead.TryRead(Path.Combine(previousFolder, headName));
        if (previous is null || !previous.IsSignedBy(key))
        {
            findings.Add(new(FindingKind.Malformed, headName, $"the previous delivery ({previousFolder}) has no head signed by key {key.PublicKeyId} to compare with"));
        }
        else if (!previous.IsIn(chain))
        {
            findings.Add(new(FindingKind.Truncated, ledgerName, $"the previous delivery's signed head ({previous.Describe()}) is not in this ledger, which ends at entry {last?.Sequence ?? 0}: entries were removed"));
        }
    }

    private static VerificationFinding CheckTranscript(string folder, LedgerEntry entry, LedgerEntry? delivery)
    {
        string path = Path.Combine(folder, Path.GetFileName(entry.File));
        string sent = delivery is null ? "" : DeliveredTo(delivery);
        if (!File.Exists(path))
        {
            return new(FindingKind.Removed, entry.File, $"sealed by entry {entry.Sequence} ({entry.User}, {entry.EndReason}) but not in the folder{sent}");
        }

        using FileStream stream = File.OpenRead(path);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (stream.Length != entry.Size || !string.Equals(sha256, entry.Sha256, StringComparison.Ordinal))
        {
            return new(FindingKind.Changed, entry.File, $"{stream.Length} bytes, SHA-256 {sha256}; sealed as {entry.Size} bytes, SHA-256 {entry.Sha256} (entry {entry.Sequence}){sent}");
        }

        return new(FindingKind.Intact, entry.File, $"entry {entry.Sequence}, {entry.User}, {entry.EndReason}{sent}");
    }

    private static string DeliveredTo(LedgerEntry delivery)
        => string.Create(CultureInfo.InvariantCulture, $"; delivered to {delivery.Destination} at {delivery.SealedUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (entry {delivery.Sequence})");

    private static string EntryName(LedgerEntry entry) => $"entry {entry.Sequence} ({entry.File})";
}
