namespace Pep.Core.Transcripts;

/// <summary>What <see cref="LedgerVerifier"/> found about one transcript or ledger entry.</summary>
public enum FindingKind
{
    /// <summary>The transcript matches its signed entry, and the entry its place in the chain.</summary>
    Intact,
    /// <summary>The transcript's bytes differ from what was sealed (size or SHA-256).</summary>
    Changed,
    /// <summary>The ledger seals a transcript that is not in the folder (removed, or never delivered here).</summary>
    Removed,
    /// <summary>Entries are out of sequence order in the ledger file.</summary>
    Reordered,
    /// <summary>Sequence numbers are missing between entries, or an entry does not name its predecessor's hash.</summary>
    MissingFromChain,
    /// <summary>An entry's signature does not verify with the instance key: forged or altered.</summary>
    Forged,
    /// <summary>A transcript in the folder that no ledger seals.</summary>
    Unsealed,
    /// <summary>A ledger line that is not an entry, or a ledger without its instance key.</summary>
    Malformed,
    /// <summary>The gateway's record and the host's transcript of the same session disagree (a pipeline the transcript lacks).</summary>
    Disagrees,
    /// <summary>The ledger ends before a signed head (its own, or the previous delivery's): its last entries were removed.</summary>
    Truncated,
    /// <summary>No signed head travels with the ledger: removing its last entries cannot be detected from this folder alone (not a problem unless a previous delivery was given).</summary>
    Unanchored,
}
