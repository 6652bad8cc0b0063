namespace Pep.Core.Transcripts;

/// <summary>A sealed transcript still on this instance, and the ledger entry that seals it.</summary>
public sealed record PendingTranscript(string Path, LedgerEntry Entry);
